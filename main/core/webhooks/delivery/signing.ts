import { createHmac, randomBytes } from 'node:crypto';

/**
 * Webhook signatures, storage independent (the sync server signs with the
 * same code). Two schemes on every request:
 * - Standard Webhooks: HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with the
 *   base64-decoded part of a `whsec_` secret, sent as `v1,<base64>`.
 * - GitHub style: `sha256=<hex>` HMAC of the raw body keyed with the secret
 *   string's UTF-8 bytes.
 */

const PREFIX = 'whsec_';

export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** The HMAC key Standard Webhooks uses: base64 after `whsec_`, else the raw UTF-8 bytes. */
export function standardKey(secret: string): Buffer {
  return secret.startsWith(PREFIX) ? Buffer.from(secret.slice(PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** A secret prepared once so every attempt only pays for the HMACs. */
export interface SigningKey {
  secret: string;
  standard: Buffer;
}

export function signingKey(secret: string): SigningKey {
  return { secret, standard: standardKey(secret) };
}

export function standardSignature(key: SigningKey, id: string, timestampSec: number, body: string): string {
  return 'v1,' + createHmac('sha256', key.standard).update(`${id}.${timestampSec}.${body}`).digest('base64');
}

export function githubSignature(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

export interface Signatures {
  /** Value of `webhook-signature`: one `v1,` entry per valid secret, space separated. */
  standard: string;
  /** Value of `x-webhook-signature`, keyed with the current secret. */
  github: string;
  /** `x-webhook-signature-previous` while a rotated-out secret is within its grace period. */
  githubPrevious: string | null;
}

/** Sign with the current key and, during a rotation's grace period, the previous one too. */
export function sign(keys: { current: SigningKey; previous?: SigningKey | null }, id: string, timestampSec: number, body: string): Signatures {
  const cur = standardSignature(keys.current, id, timestampSec, body);
  const prev = keys.previous ? standardSignature(keys.previous, id, timestampSec, body) : null;
  return {
    standard: prev ? `${cur} ${prev}` : cur,
    github: githubSignature(keys.current.secret, body),
    githubPrevious: keys.previous ? githubSignature(keys.previous.secret, body) : null,
  };
}
