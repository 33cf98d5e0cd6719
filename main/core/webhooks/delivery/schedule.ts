import { withJitter } from '../../util/retry.ts';
import { WEBHOOK_RETRY_JITTER, WEBHOOK_RETRY_SCHEDULE_MS } from '../../../../preload/contract/webhooks.ts';

export interface RetryPolicy {
  /** Delays before retry 1..n; the delivery is attempted delays.length + 1 times in all. */
  delaysMs: readonly number[];
  /** Fraction: 0.2 spreads each delay over ±20%. */
  jitter: number;
  /** Upper bound for a receiver's Retry-After. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: WEBHOOK_RETRY_SCHEDULE_MS,
  jitter: WEBHOOK_RETRY_JITTER,
  maxRetryAfterMs: 60 * 60_000,
};

export function maxAttempts(p: RetryPolicy): number {
  return p.delaysMs.length + 1;
}

/**
 * When to try again after attempt number `attempt` (1-based) failed, or null
 * when that was the last one. Retry-After, when the receiver sent one, replaces
 * the scheduled delay (capped) so a throttled receiver is not hit early.
 */
export function nextDelayMs(p: RetryPolicy, attempt: number, retryAfterMs: number | null = null, random: () => number = Math.random): number | null {
  if (attempt >= maxAttempts(p)) return null;
  if (retryAfterMs !== null) return Math.min(Math.max(0, retryAfterMs), p.maxRetryAfterMs);
  return withJitter(p.delaysMs[attempt - 1]!, p.jitter, random);
}
