/**
 * The one redaction rule (SPEC §5): a header or query parameter whose name
 * contains one of these parts carries a secret. Used for stored relay
 * headers and query strings, webhook delivery attempts, tool run params,
 * logs, and the credential headers dropped on a cross-origin redirect.
 * A name rule, not a list of known headers, so `X-Gitlab-Token`,
 * `api-key` or a provider's next invention are covered without an update.
 */
export const SECRET_NAME_PARTS = ['auth', 'token', 'secret', 'key', 'password', 'session', 'cookie', 'signature'] as const;

const SECRET_NAME = new RegExp(SECRET_NAME_PARTS.join('|'), 'i');

export const REDACTED = '[redacted]';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A raw query string (no `?`) with the values of secret-named parameters replaced; other bytes kept as sent. */
export function redactQueryString(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawName = eq < 0 ? part : part.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Undecodable names are checked as sent.
      }
      return eq >= 0 && isSecretName(name) ? `${rawName}=${encodeURIComponent(REDACTED)}` : part;
    })
    .join('&');
}

/** A URL with the values of secret-named query parameters replaced (unparseable input is returned unchanged). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  return `${url.slice(0, q + 1)}${redactQueryString(query)}${hash < 0 ? '' : url.slice(hash)}`;
}

/** A header record with secret-named values replaced. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]));
}
