import type { CoreContext } from '../context.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { OPEN_GATE, ToolError, type HostGate, type ToolContext } from './types.ts';
import { Vault } from '../vault/vault.ts';
import type { ToolEgress } from '../egress/egress.ts';

/**
 * The ToolContext a run gets from the core: its signal, a child logger, the
 * host gate (open for single runs, the executor's for batches), vault access
 * and the egress resolved for the run.
 */
export function makeToolContext(
  ctx: CoreContext,
  args: { investigationId: string; runId: string; signal: AbortSignal; gate?: HostGate; egress: ToolEgress },
): ToolContext {
  let log: ToolContext['log'] | null = null;
  return {
    signal: args.signal,
    investigationId: args.investigationId,
    runId: args.runId,
    // A pino child costs more than most tool runs; made on first use only.
    get log() {
      log ??= ctx.log.child({ runId: args.runId });
      return log;
    },
    gate: args.gate ?? OPEN_GATE,
    egress: args.egress,
    dataDir: ctx.dataDir,
    async credential(name: string) {
      try {
        return await new Vault(ctx.db, ctx.secrets).reveal(name);
      } catch (e) {
        // Missing or unreadable credentials will not fix themselves on retry.
        if (DossierError.is(e)) throw ToolError.permanent(e.message);
        throw e;
      }
    },
  };
}
