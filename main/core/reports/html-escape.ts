/**
 * HTML built with one rule: every interpolated value is escaped unless it is
 * markup this module built itself (`Markup`). Values from the outside world
 * (entity values, labels, evidence, tool output) can only ever be text.
 */
export class Markup {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

type Value = Markup | string | number | boolean | null | undefined | Value[];

function render(v: Value): string {
  if (v instanceof Markup) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** Tagged template: `h\`<td>${value}</td>\`` escapes `value`; nested `h` results pass through. */
export function h(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Markup(out);
}

/** Only http(s) URLs become links (never javascript:, data: or file:); anything else stays text. */
export function safeHref(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}
