import { DossierError } from '../../../preload/contract/errors.ts';

interface Issue {
  path: (string | number)[];
  message: string;
}

/**
 * Map an `invalid_input` error from the core to messages per top-level field,
 * so forms show the core's own validation next to the input it concerns.
 * Messages without a field land under `_form`.
 */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!DossierError.is(e) || e.code !== 'invalid_input') return {};
  const issues = (e.details as { issues?: Issue[] } | undefined)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return { _form: e.message };
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.length ? String(i.path[0]) : '_form';
    out[key] ??= i.message;
  }
  return out;
}

/**
 * Every message of an error that names its fields (`details.issues`: invalid input, and conflicts such as a taken
 * name), keyed by the dotted path (`steps.1.params.timeoutMs`) and worded for a person. Empty when none is named.
 */
export function issuesByPath(e: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!DossierError.is(e)) return out;
  const issues = (e.details as { issues?: Issue[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return out;
  for (const i of issues) {
    const key = i.path.join('.');
    if (!out.has(key)) out.set(key, humanMessage(i.message));
  }
  return out;
}

/** The messages under `prefix.` (e.g. one step's params), keyed by the rest of their path. */
export function issuesUnder(issues: Map<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of issues) if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] ??= v;
  return out;
}

const UNIT: Record<string, string> = { string: ' characters', array: ' items', set: ' items', file: ' bytes' };

/** zod's wording ("Too big: expected string to have <=200 characters") as a sentence a form can show under a field. */
export function humanMessage(message: string): string {
  const size = /^Too (big|small): expected (\w+) to (?:have|be) ([<>]=?)([\d.e+-]+)/.exec(message);
  if (size) {
    const [, dir, kind, op, n] = size;
    const unit = UNIT[kind!];
    // Counted things are whole: "< 5 items" is "at most 4"; a number below 5 may be 4.5.
    if (!op!.includes('=') && !unit) return `${dir === 'big' ? 'Less than' : 'More than'} ${Number(n).toLocaleString()}`;
    const limit = op!.includes('=') ? Number(n) : dir === 'big' ? Number(n) - 1 : Number(n) + 1;
    return `${dir === 'big' ? 'At most' : 'At least'} ${limit.toLocaleString()}${unit ? (limit === 1 ? unit.slice(0, -1) : unit) : ''}`;
  }
  const type = /^Invalid input: expected (\w+), received (\w+)/.exec(message);
  if (type) return `Expected ${/^[aeiou]/.test(type[1]!) ? 'an' : 'a'} ${type[1]}, not ${type[2] === 'undefined' ? 'nothing' : `a ${type[2]}`}`;
  const option = /^Invalid option: expected one of (.+)$/.exec(message);
  if (option)
    return `Choose one of ${option[1]!
      .split('|')
      .map((o) => o.replace(/^"|"$/g, ''))
      .join(', ')}`;
  const keys = /^Unrecognized keys?: (.+)$/.exec(message);
  if (keys) return `Not a parameter of this tool: ${keys[1]!.replace(/"/g, '')}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}
