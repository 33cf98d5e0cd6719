import { DossierError, type SerializedError } from '../../../preload/contract/errors.ts';

/**
 * An error as it leaves the core for another process (IPC, the core host's channel). A DossierError
 * keeps its code, message and details; anything else becomes `internal` with its message only: a
 * stack trace would show the page file paths and internals it has no use for. Unexpected ones are logged.
 */
export function serializeError(e: unknown, log?: { error(o: object, msg: string): void }, method?: unknown): SerializedError {
  if (DossierError.is(e)) return e.toJSON();
  log?.error({ err: e, method: typeof method === 'string' ? method : undefined }, 'call failed');
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
