import { parseRetryAfter } from '../../util/retry.ts';

export type Outcome =
  | { kind: 'success' }
  /** Try again per the schedule (or after retryAfterMs). */
  | { kind: 'retry'; errorCode: string; error: string; retryAfterMs: number | null }
  /** The receiver is gone: stop and disable the webhook. */
  | { kind: 'gone'; errorCode: 'gone'; error: string }
  /** Retrying cannot help (e.g. the SSRF guard refused the address): dead-letter now. */
  | { kind: 'stop'; errorCode: string; error: string };

/**
 * What a response means for the delivery. 2xx succeeds; 3xx fails (redirects
 * are never followed: the signature was made for this URL); 410 disables the
 * webhook; 429 and 503 honour Retry-After; everything else is retried.
 */
export function classifyResponse(status: number, headers: Record<string, string | string[] | undefined>, now: number): Outcome {
  if (status >= 200 && status < 300) return { kind: 'success' };
  if (status === 410) return { kind: 'gone', errorCode: 'gone', error: 'receiver answered 410 Gone; webhook disabled' };
  if (status >= 300 && status < 400) {
    const loc = headers.location;
    return { kind: 'retry', errorCode: 'http_3xx', error: `redirect ${status} not followed${loc ? ` (location: ${String(loc)})` : ''}`, retryAfterMs: null };
  }
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], now) : null;
  return { kind: 'retry', errorCode: status >= 500 ? 'http_5xx' : 'http_4xx', error: `receiver answered ${status}`, retryAfterMs };
}
