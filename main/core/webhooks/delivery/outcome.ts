import type { Outcome } from './classify.ts';
import { nextDelayMs, type RetryPolicy } from './schedule.ts';

/** A delivery's state after one attempt: what both the desktop and the team server record. */
export interface AfterAttempt {
  status: 'succeeded' | 'failed' | 'dead';
  /** When the next attempt falls due; null when there is none. */
  nextAt: number | null;
  errorCode: string | null;
  error: string | null;
}

/**
 * Attempt `number` (1-based) of a delivery ended with `o`: success, a retry at
 * the scheduled (or Retry-After) time, or dead (last attempt, a refusal that
 * retrying cannot fix, 410, or a one-shot test delivery that failed).
 */
export function afterAttempt(policy: RetryPolicy, number: number, o: Outcome, noRetry: boolean, now: number, random: () => number): AfterAttempt {
  if (o.kind === 'success') return { status: 'succeeded', nextAt: null, errorCode: null, error: null };
  if (o.kind === 'retry' && !noRetry) {
    const delay = nextDelayMs(policy, number, o.retryAfterMs, random);
    if (delay !== null) return { status: 'failed', nextAt: now + delay, errorCode: o.errorCode, error: o.error };
  }
  return { status: 'dead', nextAt: null, errorCode: o.errorCode, error: o.error };
}
