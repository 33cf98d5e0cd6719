/**
 * The few XML rules GraphML and GEXF need, in one place: text and attribute
 * escaping, and removal of the characters XML 1.0 cannot carry at all
 * (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF), which
 * would make the file unreadable for every consumer. They become U+FFFD.
 *
 * These run several times per row of a 150,000-row export, so each first
 * tests for anything to do (one scan, no allocation) and returns the string
 * as it is when there is nothing: the usual case.
 */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
/** Anything an attribute value needs changed: a character to escape, a control, any surrogate (paired ones pass the slow path unchanged), U+FFFE/F. */
// eslint-disable-next-line no-control-regex
const ATTR_WORK = /[&<>"'\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const TEXT_WORK = /[&<>\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Escaped for an attribute value in double quotes (whitespace kept as character references, so it survives normalisation). */
export function xmlAttr(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  if (!ATTR_WORK.test(s)) return s;
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c]!);
}

/** Escaped for element content. */
export function xmlText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  if (!TEXT_WORK.test(s)) return s;
  return s.replace(INVALID_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => ESCAPES[c]!);
}

/** "#3b82f6" → { r: 59, g: 130, b: 246 } */
export function rgb(hex: string): { r: number; g: number; b: number } {
  const n = parseInt(hex.replace(/^#/, ''), 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}
