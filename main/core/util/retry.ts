/**
 * The one backoff-with-jitter and the one Retry-After parser (batch retries,
 * webhook deliveries on the desktop and the team server, relay forwarding).
 */

/** `base` spread uniformly over ±fraction (0.2 → ±20 %), so retries of many items do not arrive together. */
export function withJitter(baseMs: number, fraction: number, random: () => number = Math.random): number {
  const spread = baseMs * fraction;
  return Math.max(0, Math.round(baseMs - spread + random() * 2 * spread));
}

export interface Backoff {
  /** Delay before the first retry. */
  firstMs: number;
  /** No delay grows past this. */
  capMs: number;
  /** ±fraction of jitter. */
  jitter: number;
}

/** Exponential backoff (first, 2×, 4× ... capped) with jitter, for retry number `attempt` (1-based). */
export function backoffDelay(b: Backoff, attempt: number, random: () => number = Math.random): number {
  return withJitter(Math.min(b.capMs, b.firstMs * 2 ** Math.max(0, attempt - 1)), b.jitter, random);
}

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3), as ms
 * from `now`; null when absent or unreadable. Fractional seconds are accepted
 * (some receivers send them).
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
