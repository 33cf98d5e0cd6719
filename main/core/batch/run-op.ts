import type { CoreContext } from '../context.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { classifyError, invokeTool, isAbort } from '../tools/invoke.ts';
import { makeToolContext } from '../tools/context.ts';
import type { ToolContext, ToolInput } from '../tools/types.ts';
import { parseJson } from '../util/json.ts';
import { Vault } from '../vault/vault.ts';
import { cachedSettings } from '../tools/builtin/deps.ts';
import { BatchEgress } from '../egress/resolve.ts';
import { guardedEgress } from '../egress/untrusted.ts';
import { CircuitOpenError, type ExecutorGate } from './gate.ts';
import type { AbortReason, ClaimedOp, LiveBatch, Outcome } from './live.ts';
import { withJitter } from '../util/retry.ts';

/**
 * Run one attempt of one operation and say what became of it. Writes
 * nothing: the executor commits the outcome (and schedules a retry) through
 * its CommitWriter.
 */
export async function runOperation(
  ctx: CoreContext,
  gate: ExecutorGate,
  b: LiveBatch,
  op: ClaimedOp,
  attempt: number,
  ctl: AbortController,
  /** Who records the breaker trips this tool's runs cause (the executor's commit writer). */
  trips?: (tool: string) => { onTrip(host: string, at: number): void },
): Promise<Outcome> {
  const now = () => ctx.clock.now();
  if (!ctx.tools.has(op.tool)) return { kind: 'failed', error: `unknown tool "${op.tool}"`, errorKind: 'permanent', code: 'unknown_tool' };
  const def = ctx.tools.get(op.tool);
  const input: ToolInput = { type: op.inputType as EntityType, value: op.inputValue, entityId: op.inputEntityId ?? undefined };
  let params = b.paramsCache.get(op.params);
  if (params === undefined) {
    params = parseJson<Record<string, unknown>>(op.params, {});
    if (b.paramsCache.size < 100) b.paramsCache.set(op.params, params);
  }
  // A single-host tool whose host's circuit is open is not started at all: it waits for the probe without spending an attempt.
  let hosts: string[] = [];
  try {
    hosts = def.hosts(def.params.parse(params) as never, input);
  } catch {
    hosts = [];
  }
  if (hosts.length === 1) {
    const wait = gate.refusalMs(hosts[0]!);
    if (wait > 0) return { kind: 'refused', error: new CircuitOpenError(hosts[0]!, wait).message, nextAttemptAt: now() + wait };
  }
  try {
    // The step's egress param, else the batch option, else the settings; a missing proxy credential fails the run.
    b.egress ??= new BatchEgress(cachedSettings(ctx.settings), (name) => new Vault(ctx.db, ctx.secrets).reveal(name), b.options.egress);
    const resolved = await b.egress.get(def.name, op.params, params);
    // An untrusted batch (started by a relay rule) runs guarded: no private destinations, no local files (SPEC §5).
    const egress = b.options.untrusted ? guardedEgress(resolved) : resolved;
    // One context per tool and batch (logger, vault, gate), specialised per run with its id, signal and egress.
    let base = b.toolCtx.get(def.name);
    if (!base) {
      base = makeToolContext(ctx, {
        investigationId: b.investigationId,
        runId: b.id,
        signal: ctl.signal,
        gate: gate.forTool(def.rateLimit, trips?.(def.name)),
        egress,
      });
      b.toolCtx.set(def.name, base);
    }
    const toolCtx: ToolContext = { ...base, runId: op.id, signal: ctl.signal, egress };
    const result = await invokeTool(def, input, params, toolCtx);
    return { kind: 'completed', result };
  } catch (e) {
    if (ctl.signal.aborted || isAbort(e)) return { kind: 'aborted', reason: (ctl.signal.reason as AbortReason) ?? 'cancelled' };
    if (e instanceof CircuitOpenError) return { kind: 'refused', error: e.message, nextAttemptAt: now() + (e.retryAfterMs ?? 1000) };
    const err = classifyError(e);
    const policy = b.options.retry;
    if (err.kind === 'transient' && attempt < policy.attempts) {
      const base = policy.delaysMs[Math.min(attempt - 1, policy.delaysMs.length - 1)]!;
      const delay = Math.max(withJitter(base, 0.2), err.retryAfterMs ?? 0);
      return { kind: 'retry', error: err.message, nextAttemptAt: now() + delay, code: err.errorCode };
    }
    const suffix = err.kind === 'transient' && attempt > 1 ? ` (after ${attempt} attempts)` : '';
    return { kind: 'failed', error: err.message + suffix, errorKind: err.kind, code: err.errorCode };
  }
}
