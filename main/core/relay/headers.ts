import type { IncomingHttpHeaders } from 'node:http';
import type { RelayHeader } from '../../../preload/contract/relay.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { parseJson } from '../util/json.ts';
import { isSecretName, REDACTED } from '../util/secret-names.ts';

/** Signature headers of every provider, marked (not hidden) so a replay can re-verify. */
const KNOWN_SIGNATURES = new Set([
  'x-hub-signature',
  'x-hub-signature-256',
  'stripe-signature',
  'x-slack-signature',
  'x-shopify-hmac-sha256',
  'webhook-signature',
]);

/** Headers that describe one hop, not the message; never forwarded. */
export const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', 'content-length', 'expect']);

/** Stored form: [name, value] or [name, '[redacted]', 'r' | 's'] in arrival order with the sender's spelling. */
export type StoredHeader = [string, string] | [string, string, 'r' | 's'];

export interface LoggedHeaders {
  json: string;
  sealed: string | null;
}

/**
 * Redact and mark raw headers for the log; the redacted values are sealed
 * with the secret box (forwarding and replay stay byte-exact). Redacted by
 * the one name rule (`X-Gitlab-Token` is the shared secret itself); signature
 * headers too, since some senders put a plain shared secret in one, and are
 * still marked so the UI says what they are.
 */
export function logHeaders(raw: string[], signatureHeaders: string[], secrets: SecretBox): LoggedHeaders {
  const out: StoredHeader[] = [];
  let sealed: [number, string][] | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    const signature = KNOWN_SIGNATURES.has(lower) || signatureHeaders.includes(lower);
    if (signature || isSecretName(lower)) {
      (sealed ??= []).push([out.length, value]);
      out.push([name, REDACTED, signature ? 's' : 'r']);
    } else {
      out.push([name, value]);
    }
  }
  return { json: JSON.stringify(out), sealed: sealed ? secrets.encrypt(JSON.stringify(sealed)) : null };
}

/** What the UI shows: redacted values stay redacted. */
export function displayHeaders(json: string): RelayHeader[] {
  return parseJson<StoredHeader[]>(json, []).map(([name, value, m]) =>
    m ? { name, value, mark: m === 'r' ? 'redacted' : 'signature' } : { name, value },
  );
}

/** The original header pairs (redacted values restored from the sealed copy), for forwarding and replay. */
export function originalHeaders(json: string, sealed: string | null, secrets: SecretBox): [string, string][] {
  const pairs = parseJson<StoredHeader[]>(json, []).map(([n, v]) => [n, v] as [string, string]);
  if (sealed) {
    for (const [i, v] of parseJson<[number, string][]>(secrets.decrypt(sealed), [])) {
      if (pairs[i]) pairs[i]![1] = v;
    }
  }
  return pairs;
}

/** Node's lower-cased header map from pairs (repeated headers joined as Node does for most). */
export function headerMap(pairs: [string, string][]): IncomingHttpHeaders {
  const h: Record<string, string> = {};
  for (const [n, v] of pairs) {
    const k = n.toLowerCase();
    h[k] = h[k] === undefined ? v : `${h[k]}, ${v}`;
  }
  return h;
}
