import type { RelayProvider } from './types.ts';
import { header, hmac, jsonString, parseSeconds, randomSecret, safeEqual, stale } from './crypto.ts';

const SIG = 'x-slack-signature';
const TS = 'x-slack-request-timestamp';

/** Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<ts>:body">` with `X-Slack-Request-Timestamp`. */
export const slack: RelayProvider = {
  id: 'slack',
  needsJson: true,
  signatureHeaders: () => [SIG],
  verify({ headers, body, secret, toleranceSeconds, now }) {
    const got = header(headers, SIG);
    const tsRaw = header(headers, TS);
    if (!got || tsRaw === null) return { ok: false, verification: 'invalid_signature', reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp header' };
    if (!secret) return { ok: false, verification: 'invalid_signature', reason: 'endpoint has no secret' };
    const ts = parseSeconds(tsRaw);
    if (ts === null) return { ok: false, verification: 'invalid_signature', reason: 'X-Slack-Request-Timestamp is not a number' };
    const expected = 'v0=' + hmac('sha256', secret, `v0:${tsRaw.trim()}:`, body).toString('hex');
    if (!safeEqual(got.trim().toLowerCase(), expected)) return { ok: false, verification: 'invalid_signature', reason: 'signature does not match' };
    if (stale(ts, now, toleranceSeconds)) return { ok: false, verification: 'stale_timestamp', reason: `timestamp ${ts} is outside the ${toleranceSeconds} s tolerance` };
    return { ok: true, verification: 'verified' };
  },
  sign({ body, secret, now }) {
    const ts = String(Math.floor(now / 1000));
    return { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': 'v0=' + hmac('sha256', secret, `v0:${ts}:`, body).toString('hex') };
  },
  meta(_headers, json) {
    const j = json();
    const type = jsonString(j, 'type');
    return {
      deliveryId: jsonString(j, 'event_id'),
      eventType: type === 'event_callback' ? (jsonString(j, 'event', 'type') ?? type) : type,
    };
  },
  generateSecret: () => randomSecret(16),
};

/** Slack's url_verification handshake: the challenge to echo, when the body is one. */
export function slackChallenge(json: unknown): string | null {
  return jsonString(json, 'type') === 'url_verification' ? jsonString(json, 'challenge') : null;
}
