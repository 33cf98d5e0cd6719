import { z } from 'zod';
import { method } from './define.ts';

/**
 * Site health (SPEC §3.10): each manifest entry with a known claimed and free
 * username is tried both ways; a site that answers wrong is `degraded` (with
 * the reason and the date) until a later check passes, and username.sites
 * reports it as `unknown` meanwhile.
 */

export const SITE_HEALTH_STATUSES = ['unchecked', 'ok', 'degraded'] as const;
export type SiteHealthStatus = (typeof SITE_HEALTH_STATUSES)[number];
/** One check's outcome: `inconclusive` when the site could not be read (WAF, 429, 5xx, a captcha): the status stays as it was. */
export const SITE_CHECK_OUTCOMES = ['ok', 'degraded', 'inconclusive'] as const;
export type SiteCheckOutcome = (typeof SITE_CHECK_OUTCOMES)[number];

export interface SiteCheckRecord {
  id: number;
  site: string;
  outcome: SiteCheckOutcome;
  reason: string;
  claimedStatus: string;
  freeStatus: string;
  checkedAt: string;
}

export interface SiteHealth {
  site: string;
  status: SiteHealthStatus;
  /** Why the site is degraded (or the last inconclusive check's reason). */
  reason: string | null;
  /** Since when the site has been in this status. */
  since: string | null;
  lastCheckedAt: string | null;
  lastOutcome: SiteCheckOutcome | null;
}

export interface SiteCheckSummary {
  checked: number;
  ok: number;
  degraded: number;
  inconclusive: number;
  /** Sites that became degraded in this check (each wrote `site.degraded`). */
  newlyDegraded: string[];
  /** Sites that were degraded and passed now. */
  recovered: string[];
  results: (SiteCheckRecord & { status: SiteHealthStatus })[];
}

const SiteNames = z.array(z.string().trim().min(1).max(100)).max(5000);

export const siteHealthMethods = {
  /** Check the named sites (default: every enabled site) with their claimed and free usernames. */
  'sites.check': method(z.object({ sites: SiteNames.optional() }), { slow: true }).returns<SiteCheckSummary>(),
  /** Health of every site of the active manifest (or the named ones). */
  'sites.health': method(z.object({ sites: SiteNames.optional() })).returns<SiteHealth[]>(),
  /** The check history of one site, newest first. */
  'sites.history': method(
    z.object({ site: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(500).default(30) }),
  ).returns<SiteCheckRecord[]>(),
  /** Turn the built-in daily site-check watch on or off. */
  'sites.dailyCheck': method(z.object({ enabled: z.boolean() })).returns<{ enabled: boolean; watchId: string | null }>(),
};
