import type { RelayProvider } from './types.ts';
import { header, hmac, jsonString, parseSeconds, randomSecret, safeEqual, stale } from './crypto.ts';

const SIG = 'stripe-signature';

/**
 * Stripe: `Stripe-Signature: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=...]`.
 * The secret (whsec_...) is used as-is as the HMAC key, as Stripe's own library does.
 */
export const stripe: RelayProvider = {
  id: 'stripe',
  needsJson: true,
  signatureHeaders: () => [SIG],
  verify({ headers, body, secret, toleranceSeconds, now }) {
    const got = header(headers, SIG);
    if (!got) return { ok: false, verification: 'invalid_signature', reason: 'missing Stripe-Signature header' };
    if (!secret) return { ok: false, verification: 'invalid_signature', reason: 'endpoint has no secret' };
    let t: string | null = null;
    const v1: string[] = [];
    for (const part of got.split(',')) {
      const i = part.indexOf('=');
      if (i < 0) continue;
      const k = part.slice(0, i).trim();
      const v = part.slice(i + 1).trim();
      if (k === 't') t = v;
      else if (k === 'v1') v1.push(v);
    }
    const ts = parseSeconds(t);
    if (ts === null || v1.length === 0) return { ok: false, verification: 'invalid_signature', reason: 'Stripe-Signature has no t= timestamp or v1= signature' };
    const expected = hmac('sha256', secret, `${t}.`, body).toString('hex');
    // Compare against every v1 without stopping early, so timing says nothing about which matched.
    let match = false;
    for (const s of v1) match = safeEqual(s.toLowerCase(), expected) || match;
    if (!match) return { ok: false, verification: 'invalid_signature', reason: 'no v1 signature matches' };
    if (stale(ts, now, toleranceSeconds)) return { ok: false, verification: 'stale_timestamp', reason: `timestamp ${ts} is outside the ${toleranceSeconds} s tolerance` };
    return { ok: true, verification: 'verified' };
  },
  sign({ body, secret, now }) {
    const t = Math.floor(now / 1000);
    return { 'Stripe-Signature': `t=${t},v1=${hmac('sha256', secret, `${t}.`, body).toString('hex')}` };
  },
  meta(_headers, json) {
    const j = json();
    return { deliveryId: jsonString(j, 'id'), eventType: jsonString(j, 'type') };
  },
  generateSecret: () => 'whsec_' + randomSecret(),
};
