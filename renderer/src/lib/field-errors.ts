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
