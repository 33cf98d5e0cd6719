import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export function hmac(algorithm: 'sha1' | 'sha256' | 'sha512', key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const h = createHmac(algorithm, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Constant-time comparison of two strings as bytes; unequal lengths are simply unequal. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const x = typeof a === 'string' ? Buffer.from(a) : a;
  const y = typeof b === 'string' ? Buffer.from(b) : b;
  if (x.length !== y.length) return false;
  return timingSafeEqual(x, y);
}

/** A single header value (first one when repeated), or null. */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('hex');
}

/** Parse a seconds timestamp header strictly (digits only). */
export function parseSeconds(v: string | null): number | null {
  if (v === null || !/^\d{1,12}$/.test(v.trim())) return null;
  return Number(v.trim());
}

export function stale(tsSeconds: number, now: number, toleranceSeconds: number): boolean {
  return Math.abs(now / 1000 - tsSeconds) > toleranceSeconds;
}

export function jsonString(json: unknown, ...path: string[]): string | null {
  let v: unknown = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}
