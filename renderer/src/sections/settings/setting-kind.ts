import { z } from 'zod';
import { SETTINGS, type SettingEntry } from '../../../../preload/contract/settings.ts';

/** Which input edits a setting. */
export type SettingKind =
  | { kind: 'choice'; options: string[] }
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'json' }
  | { kind: 'secret' }
  | { kind: 'text' };

const SECRET_WORDS = /(secret|token|password|apikey|api_key)/i;

/**
 * Derive the input from the setting itself: an enum schema gives a choice,
 * otherwise the type of the default (or current) value decides. Validation
 * stays in the core; this only picks the widget.
 */
export function settingKind(entry: Pick<SettingEntry, 'key' | 'value' | 'default'>): SettingKind {
  const schema = (SETTINGS as Record<string, { schema: z.ZodType } | undefined>)[entry.key]?.schema;
  if (schema instanceof z.ZodEnum) return { kind: 'choice', options: schema.options.map(String) };
  const sample = entry.default ?? entry.value;
  if (typeof sample === 'boolean') return { kind: 'boolean' };
  if (typeof sample === 'number') return { kind: 'number' };
  if (sample !== null && typeof sample === 'object') return { kind: 'json' };
  if (SECRET_WORDS.test(entry.key)) return { kind: 'secret' };
  return { kind: 'text' };
}

/** The editable text of a value: JSON is pretty-printed, everything else as is. */
export function draftOf(kind: SettingKind, value: unknown): string | number | boolean {
  switch (kind.kind) {
    case 'boolean':
      return Boolean(value);
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'json':
      return JSON.stringify(value, null, 2);
    default:
      return value === null || value === undefined ? '' : String(value);
  }
}

/**
 * Turn a draft into the value sent to the core. Only syntax is checked here
 * (a JSON text must parse, a number box must not be empty); ranges and
 * formats are the core's to judge, and its message is shown as is.
 */
export function valueOf(kind: SettingKind, draft: string | number | boolean): { ok: true; value: unknown } | { ok: false; error: string } {
  switch (kind.kind) {
    case 'number':
      if (draft === '' || typeof draft !== 'number' || Number.isNaN(draft)) return { ok: false, error: 'Enter a number' };
      return { ok: true, value: draft };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(String(draft)) as unknown };
      } catch (e) {
        return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
    case 'boolean':
      return { ok: true, value: Boolean(draft) };
    default:
      return { ok: true, value: String(draft) };
  }
}

/** Same value, whatever its shape (key order in objects aside). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const ACRONYMS: Record<string, string> = { dns: 'DNS', rdap: 'RDAP', http: 'HTTP', https: 'HTTPS', url: 'URL', ip: 'IP', api: 'API', ui: 'UI', ms: '(ms)' };

/** "relay.retention.count" → group "relay", label "Retention count"; "tools.http.timeoutMs" → "HTTP timeout (ms)". */
export function splitKey(key: string): { group: string; label: string } {
  const [group = key, ...rest] = key.split('.');
  const words = (rest.length ? rest.join(' ') : group)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .toLowerCase()
    .split(' ')
    .map((w) => ACRONYMS[w] ?? w)
    .join(' ');
  return { group, label: words.charAt(0).toUpperCase() + words.slice(1) };
}

/** Ports and similar identifiers read wrong with thousands separators ("8 787"). */
export function groupsDigits(key: string): boolean {
  return !/port$/i.test(key);
}
