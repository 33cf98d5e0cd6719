import type { DossierCore } from '../core/core.ts';
import type { IpcResult } from '../../preload/bridge.ts';
import { DossierError, type MethodName } from '../../preload/contract/index.ts';
import type { Logger } from '../core/log.ts';

/**
 * One IPC call into the core. Errors cross as data: a DossierError keeps its code,
 * message and details; anything else becomes `internal` with its message only, since
 * a stack trace would show the page file paths and internals it has no use for.
 */
export async function callCore(core: Pick<DossierCore, 'invoke'>, method: unknown, input: unknown, log?: Logger): Promise<IpcResult<unknown>> {
  try {
    if (typeof method !== 'string') throw new DossierError('invalid_input', 'method must be a string');
    // core.invoke checks the name against the contract and validates the input with its zod schema.
    const result = await core.invoke(method as MethodName, input);
    return { ok: true, result: result ?? null };
  } catch (e) {
    if (DossierError.is(e)) return { ok: false, error: e.toJSON() };
    log?.error({ err: e, method }, 'IPC call failed');
    return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}

/** The answer to a call from a frame that is not our renderer: nothing runs. */
export function refusedSender(frameUrl: string): IpcResult<never> {
  return { ok: false, error: { code: 'forbidden', message: `IPC call refused from untrusted frame ${frameUrl || '(gone)'}` } };
}
