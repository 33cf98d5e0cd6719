import type { SecretBox } from '../crypto/secret-box.ts';
import { parseJson } from '../util/json.ts';
import { REDACTED } from '../util/secret-names.ts';

/**
 * A webhook's custom headers at rest: names in clear (the UI lists them),
 * every value sealed with the secret box, since custom headers are where
 * receivers' API keys and bearer tokens go. Stored as
 * `{"sealed": {"<name>": "<sealed value>"}}`; a plain `{"<name>": "<value>"}`
 * object is a row written before values were sealed.
 */
interface SealedColumn {
  sealed: Record<string, string>;
}

function isSealed(v: unknown): v is SealedColumn {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 1 && typeof (v as SealedColumn).sealed === 'object' && (v as SealedColumn).sealed !== null;
}

export function sealCustomHeaders(secrets: SecretBox, headers: Record<string, string>): string {
  return JSON.stringify({ sealed: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secrets.encrypt(v)])) });
}

/** The real values, for sending. */
export function openCustomHeaders(decrypt: (sealed: string) => string, column: string): Record<string, string> {
  const v = parseJson<unknown>(column, {});
  if (!isSealed(v)) return (v ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(v.sealed).map(([k, s]) => [k, decrypt(s)]));
}

/** What the API returns: names with masked values. */
export function maskedCustomHeaders(column: string): Record<string, string> {
  const v = parseJson<unknown>(column, {});
  const names = Object.keys(isSealed(v) ? v.sealed : ((v ?? {}) as Record<string, string>));
  return Object.fromEntries(names.map((k) => [k, REDACTED]));
}

/** An update: a value sent back masked keeps the stored value of that header (the UI round-trips what it was shown). */
export function mergeCustomHeaders(secrets: SecretBox, column: string, next: Record<string, string>): string {
  const current = openCustomHeaders((x) => secrets.decrypt(x), column);
  return sealCustomHeaders(secrets, Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v === REDACTED && k in current ? current[k]! : v])));
}

/** True for a row still holding values in clear (sealed on startup). */
export function needsSealing(column: string): boolean {
  const v = parseJson<unknown>(column, {});
  return !isSealed(v) && Object.keys((v ?? {}) as object).length > 0;
}
