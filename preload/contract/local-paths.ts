import type { MethodName } from './index.ts';

/**
 * The methods whose input can name a file on this machine (`{ path }`, or `source: { kind: 'file', path }`).
 * The desktop and the CLI pass paths the user picked; browser mode takes files only as uploads (SPEC §5), because
 * any page that learned the token could otherwise have the core read `/etc/passwd` or `~/.ssh` into a batch.
 */
export const LOCAL_PATH_METHODS = ['batches.previewFile', 'batches.create', 'reports.importInvestigation', 'reports.importEntities'] as const satisfies readonly MethodName[];

/** The local path an input names, if any (top level `path`, or `source.path`). */
export function localPathIn(method: string, input: unknown): string | null {
  if (!(LOCAL_PATH_METHODS as readonly string[]).includes(method) || !input || typeof input !== 'object') return null;
  const top = (input as { path?: unknown }).path;
  if (typeof top === 'string') return top;
  const source = (input as { source?: unknown }).source;
  if (source && typeof source === 'object' && typeof (source as { path?: unknown }).path === 'string') return (source as { path: string }).path;
  return null;
}
