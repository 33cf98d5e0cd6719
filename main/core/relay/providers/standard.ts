import { randomBytes } from 'node:crypto';
import type { RelayProvider } from './types.ts';
import { header, hmac, jsonString, parseSeconds, safeEqual, stale } from './crypto.ts';

/** The key of a Standard Webhooks secret: base64 after the optional `whsec_` prefix. */
function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/**
 * Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.ts.body">` (space-separated list),
 * with `webhook-id` and `webhook-timestamp`.
 */
export const standard: RelayProvider = {
  id: 'standard',
  needsJson: true,
  signatureHeaders: () => ['webhook-signature'],
  verify({ headers, body, secret, toleranceSeconds, now }) {
    const id = header(headers, 'webhook-id');
    const tsRaw = header(headers, 'webhook-timestamp');
    const sigs = header(headers, 'webhook-signature');
    if (!id || !tsRaw || !sigs) return { ok: false, verification: 'invalid_signature', reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
    if (!secret) return { ok: false, verification: 'invalid_signature', reason: 'endpoint has no secret' };
    const ts = parseSeconds(tsRaw);
    if (ts === null) return { ok: false, verification: 'invalid_signature', reason: 'webhook-timestamp is not a number' };
    const expected = hmac('sha256', key(secret), `${id}.${tsRaw.trim()}.`, body).toString('base64');
    let match = false;
    for (const s of sigs.split(' ')) {
      const [version, sig] = s.split(',', 2);
      if (version === 'v1' && sig) match = safeEqual(sig, expected) || match;
    }
    if (!match) return { ok: false, verification: 'invalid_signature', reason: 'no v1 signature matches' };
    if (stale(ts, now, toleranceSeconds)) return { ok: false, verification: 'stale_timestamp', reason: `timestamp ${ts} is outside the ${toleranceSeconds} s tolerance` };
    return { ok: true, verification: 'verified' };
  },
  sign({ body, secret, now, id }) {
    const ts = String(Math.floor(now / 1000));
    return {
      'webhook-id': id,
      'webhook-timestamp': ts,
      'webhook-signature': 'v1,' + hmac('sha256', key(secret), `${id}.${ts}.`, body).toString('base64'),
    };
  },
  meta(headers, json) {
    return { deliveryId: header(headers, 'webhook-id'), eventType: jsonString(json(), 'type') };
  },
  generateSecret: () => 'whsec_' + randomBytes(24).toString('base64'),
};
