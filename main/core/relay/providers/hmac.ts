import type { RelayProviderOptions } from '../../../../preload/contract/relay.ts';
import type { RelayProvider } from './types.ts';
import { header, hmac as mac, randomSecret, safeEqual } from './crypto.ts';

export const HMAC_DEFAULTS = { header: 'x-signature', algorithm: 'sha256', encoding: 'hex', prefix: '' } as const;

function settings(o: RelayProviderOptions) {
  return {
    header: o.header ?? HMAC_DEFAULTS.header,
    algorithm: o.algorithm ?? HMAC_DEFAULTS.algorithm,
    encoding: o.encoding ?? HMAC_DEFAULTS.encoding,
    prefix: o.prefix ?? HMAC_DEFAULTS.prefix,
  };
}

/** Generic HMAC of the body in a configurable header, algorithm, encoding and prefix (e.g. `sha1=`). */
export const hmac: RelayProvider = {
  id: 'hmac',
  needsJson: false,
  signatureHeaders: (o) => [settings(o).header],
  verify({ headers, body, secret, options }) {
    const s = settings(options);
    const got = header(headers, s.header);
    if (!got) return { ok: false, verification: 'invalid_signature', reason: `missing ${s.header} header` };
    if (!secret) return { ok: false, verification: 'invalid_signature', reason: 'endpoint has no secret' };
    const digest = mac(s.algorithm, secret, body).toString(s.encoding);
    const value = got.trim();
    const ok =
      s.encoding === 'hex'
        ? safeEqual(value.toLowerCase(), (s.prefix + digest).toLowerCase())
        : safeEqual(value, s.prefix + digest);
    if (!ok) return { ok: false, verification: 'invalid_signature', reason: 'signature does not match' };
    return { ok: true, verification: 'verified' };
  },
  sign({ body, secret, options }) {
    const s = settings(options);
    return { [s.header]: s.prefix + mac(s.algorithm, secret, body).toString(s.encoding) };
  },
  meta(headers) {
    return metaFromOptionHeaders(headers, {});
  },
  generateSecret: () => randomSecret(),
};

/** Delivery id and event type from the headers an endpoint names (hmac and none). */
export function metaFromOptionHeaders(headers: Parameters<RelayProvider['meta']>[0], o: RelayProviderOptions) {
  return {
    deliveryId: o.idHeader ? header(headers, o.idHeader) : null,
    eventType: o.eventHeader ? header(headers, o.eventHeader) : null,
  };
}
