import type { RelayProvider } from './types.ts';
import { header, hmac, randomSecret, safeEqual } from './crypto.ts';

const SIG = 'x-shopify-hmac-sha256';

/** Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`. */
export const shopify: RelayProvider = {
  id: 'shopify',
  needsJson: false,
  signatureHeaders: () => [SIG],
  verify({ headers, body, secret }) {
    const got = header(headers, SIG);
    if (!got) return { ok: false, verification: 'invalid_signature', reason: 'missing X-Shopify-Hmac-Sha256 header' };
    if (!secret) return { ok: false, verification: 'invalid_signature', reason: 'endpoint has no secret' };
    const expected = hmac('sha256', secret, body).toString('base64');
    if (!safeEqual(got.trim(), expected)) return { ok: false, verification: 'invalid_signature', reason: 'signature does not match' };
    return { ok: true, verification: 'verified' };
  },
  sign({ body, secret }) {
    return { 'X-Shopify-Hmac-Sha256': hmac('sha256', secret, body).toString('base64') };
  },
  meta(headers) {
    return {
      deliveryId: header(headers, 'x-shopify-webhook-id') ?? header(headers, 'x-shopify-event-id'),
      eventType: header(headers, 'x-shopify-topic'),
    };
  },
  generateSecret: () => randomSecret(),
};
