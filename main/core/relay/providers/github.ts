import type { RelayProvider } from './types.ts';
import { header, hmac, randomSecret, safeEqual } from './crypto.ts';

const SIG = 'x-hub-signature-256';

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; no timestamp in the scheme. */
export const github: RelayProvider = {
  id: 'github',
  needsJson: false,
  signatureHeaders: () => [SIG, 'x-hub-signature'],
  verify({ headers, body, secret }) {
    const got = header(headers, SIG);
    if (!got) return { ok: false, verification: 'invalid_signature', reason: 'missing X-Hub-Signature-256 header' };
    if (!secret) return { ok: false, verification: 'invalid_signature', reason: 'endpoint has no secret' };
    const expected = 'sha256=' + hmac('sha256', secret, body).toString('hex');
    if (!safeEqual(got.trim().toLowerCase(), expected)) return { ok: false, verification: 'invalid_signature', reason: 'signature does not match' };
    return { ok: true, verification: 'verified' };
  },
  sign({ body, secret }) {
    return { 'X-Hub-Signature-256': 'sha256=' + hmac('sha256', secret, body).toString('hex') };
  },
  meta(headers) {
    return { deliveryId: header(headers, 'x-github-delivery'), eventType: header(headers, 'x-github-event') };
  },
  generateSecret: () => randomSecret(),
};
