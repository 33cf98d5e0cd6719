import type { ToolParamSchema } from '../../../../preload/contract/tools.ts';

/** Short words that read as initials in a label. */
const INITIALS = new Set(['url', 'uri', 'mx', 'dns', 'http', 'https', 'tls', 'ip', 'id', 'api', 'json', 'csv', 'rdap', 'exif']);
/** A trailing unit word, said as a unit: `timeoutMs` is "Timeout (ms)". */
const UNITS: Record<string, string> = { ms: 'ms', s: 's', seconds: 's', bytes: 'bytes', kb: 'KB', mb: 'MB' };

/** A parameter's field name as words: `timeoutMs` → "Timeout (ms)", `checkMx` → "Check MX", `baseUrl` → "Base URL". */
export function paramLabel(name: string): string {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  const last = words.at(-1);
  const unit = words.length > 1 && last && last !== 'bytes' && UNITS[last] ? UNITS[last] : null;
  const body = (unit ? words.slice(0, -1) : words).map((w) => (INITIALS.has(w) ? w.toUpperCase() : w));
  const text = body.join(' ');
  const label = text.charAt(0).toUpperCase() + text.slice(1);
  return unit ? `${label} (${unit})` : label;
}

/** The default a parameter takes when left empty, as the form says it ("Default: 5,000"); undefined when none. */
export function paramDefault(s: ToolParamSchema): string | undefined {
  const d = s.default;
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'boolean') return `Default: ${d ? 'on' : 'off'}`;
  if (typeof d === 'number') return `Default: ${d.toLocaleString()}`;
  if (Array.isArray(d)) return d.length ? `Default: ${d.join(', ')}` : undefined;
  return `Default: ${String(d)}`;
}
