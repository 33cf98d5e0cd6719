import type { SiteCheckOutcome } from '../../../preload/contract/site-health.ts';
import type { SiteCheck } from '../tools/sites/check.ts';

export interface Judgement {
  outcome: SiteCheckOutcome;
  reason: string;
}

/**
 * What a site's answers for its known claimed and known free usernames say
 * about the site entry. The claimed name not found, or the free name found,
 * means the entry no longer describes the site (its page changed, a login
 * wall, a "not found" page served with 200, a redirect to the home page):
 * degraded. A site that could not be read (WAF, 429, 5xx, a captcha) says
 * nothing either way: inconclusive.
 */
export function judge(claimedName: string, freeName: string, claimed: SiteCheck, free: SiteCheck): Judgement {
  if (claimed.status === 'available') return { outcome: 'degraded', reason: `known account "${claimedName}" not found (${claimed.reason})` };
  if (free.status === 'claimed') return { outcome: 'degraded', reason: `free name "${freeName}" reported as found (${free.reason})` };
  if (claimed.status === 'illegal' || free.status === 'illegal') {
    return { outcome: 'inconclusive', reason: `the entry's test usernames do not fit its username pattern (${(claimed.status === 'illegal' ? claimed : free).reason})` };
  }
  if (claimed.status !== 'claimed') return { outcome: 'inconclusive', reason: `could not read the site for "${claimedName}": ${claimed.reason}` };
  if (free.status !== 'available') return { outcome: 'inconclusive', reason: `could not read the site for "${freeName}": ${free.reason}` };
  return { outcome: 'ok', reason: `"${claimedName}" found and "${freeName}" not found, as expected` };
}
