/**
 * The edit form's properties as rows of text. A string property is edited as its text; any other value (a
 * number, true, a list) as JSON and read back as JSON, so saving without touching it never turns 120 into
 * "120" nor "120" into 120. A new row is text.
 */
export interface PropertyRow {
  key: string;
  text: string;
  json: boolean;
}

export function toRows(properties: Record<string, unknown>): PropertyRow[] {
  return Object.entries(properties).map(([key, v]) => (typeof v === 'string' ? { key, text: v, json: false } : { key, text: JSON.stringify(v), json: true }));
}

export type RowsResult = { ok: true; properties: Record<string, unknown> } | { ok: false; index: number; message: string };

/** Rows with neither a name nor a value are dropped (an empty new row); the core checks the names. */
export function fromRows(rows: PropertyRow[]): RowsResult {
  const out: Record<string, unknown> = {};
  for (const [index, r] of rows.entries()) {
    if (!r.key.trim() && !r.text.trim()) continue;
    if (!r.key.trim()) return { ok: false, index, message: 'A property needs a name' };
    const key = r.key.trim();
    if (key in out) return { ok: false, index, message: `“${key}” is there twice` };
    if (!r.json) {
      out[key] = r.text;
      continue;
    }
    try {
      out[key] = JSON.parse(r.text) as unknown;
    } catch {
      return { ok: false, index, message: 'Not valid JSON (this value was a number, true/false or a list)' };
    }
  }
  return { ok: true, properties: out };
}
