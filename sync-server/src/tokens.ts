import { createHash, randomBytes } from 'node:crypto';

/** `dst_` + 32 random bytes (base64url); only its SHA-256 is stored. */
export function newToken(): string {
  return 'dst_' + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const TOKEN_RE = /^dst_[A-Za-z0-9_-]{43}$/;

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
