import type { IncomingHttpHeaders } from 'node:http';
import type { RelayVerification } from '../../../preload/contract/relay.ts';
import type { LiveEndpoint } from './endpoints.ts';
import { provider, requestMeta } from './providers/index.ts';
import { slackChallenge } from './providers/slack.ts';

/** What the relay does with a request that reached an active endpoint. */
export interface Decision {
  status: number;
  verification: RelayVerification;
  error: string | null;
  deliveryId: string | null;
  eventType: string | null;
  accepted: boolean;
  jobs: ('forward' | 'rules')[];
  event: boolean;
  /** Slack url_verification: answer with this text instead of the usual body. */
  challenge: string | null;
}

/** Verify and classify one request. Shared by the receiver and replays; never throws. */
export function decide(ep: LiveEndpoint, headers: IncomingHttpHeaders, body: Buffer, now: number): Decision {
  const p = provider(ep.provider);
  let parsed: unknown;
  let tried = false;
  const json = () => {
    if (!tried) {
      tried = true;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = null;
      }
    }
    return parsed;
  };
  let v: ReturnType<typeof p.verify>;
  try {
    v = p.verify({ headers, body, secret: ep.secret, options: ep.options, toleranceSeconds: ep.toleranceSeconds, now });
  } catch (e) {
    v = { ok: false, verification: 'invalid_signature', reason: `malformed signature: ${(e as Error).message}` };
  }
  const meta = requestMeta(p, headers, p.needsJson ? json : () => null, ep.options);
  if (!v.ok) {
    return { status: 401, verification: v.verification, error: `${v.verification}: ${v.reason}`, ...meta, accepted: false, jobs: [], event: false, challenge: null };
  }
  if (ep.provider === 'slack') {
    const challenge = slackChallenge(json());
    if (challenge !== null) {
      return { status: 200, verification: v.verification, error: null, ...meta, accepted: true, jobs: [], event: false, challenge };
    }
  }
  const jobs: ('forward' | 'rules')[] = [];
  if (ep.forwardTo) jobs.push('forward');
  if (ep.hasRules) jobs.push('rules');
  return { status: 202, verification: v.verification, error: null, ...meta, accepted: true, jobs, event: true, challenge: null };
}
