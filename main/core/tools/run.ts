import type { CoreContext } from '../context.ts';
import type { ToolRunsTable } from './tables.ts';
import type { HostGate, ToolInput, ToolResult } from './types.ts';
import { ToolError } from './types.ts';
import type { ToolRun, ToolRunDetail } from '../../../preload/contract/tools.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { inferInputType } from './infer-input-type.ts';
import { invokeTool, isAbort, prepareToolCall } from './invoke.ts';
import { persistToolResult } from './persist.ts';
import { makeToolContext } from './context.ts';
import { toEntity } from '../entities/store.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { checkEgressSupport, EgressUnsupportedError, effectiveEgress, egressParam, resolveEgress } from '../egress/resolve.ts';
import { Vault } from '../vault/vault.ts';
import { isSecretName, REDACTED } from '../util/secret-names.ts';
import { leaseOwnerId } from '../util/process-owner.ts';

/** This process as the owner of the single runs it starts; the next start fails runs whose owner is gone. */
const RUN_OWNER = leaseOwnerId();

export interface RunToolArgs {
  investigationId: string;
  tool: string;
  /** Without a type the tool's only one, or the one the value looks like (`inferInputType`). */
  input: Omit<ToolInput, 'type'> & { type?: ToolInput['type'] };
  params?: unknown;
  signal?: AbortSignal;
  gate?: HostGate;
}

/** Params of http.api that say how a credential is sent (`auth: 'bearer'`, `authName: 'X-Key'`), not the credential: the name rule would hide them. */
const NOT_SECRETS = new Set(['auth', 'authname']);

/** A secret-named key (the one rule) holding a literal secret; `{credential}` placeholders are kept, they reveal nothing. */
function isLiteralSecret(k: string, x: unknown): boolean {
  return isSecretName(k) && !NOT_SECRETS.has(k.toLowerCase()) && typeof x === 'string' && x.replace(/\{credential\}/g, '').replace(/^(bearer|basic|token)\s*/i, '').trim() !== '';
}

/** Params as stored with a run (and so in exports): literal secrets a user typed into headers are replaced. */
export function redactParams(v: unknown, depth = 0): unknown {
  if (depth > 5 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactParams(x, depth + 1));
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [
      k,
      isLiteralSecret(k, x) ? REDACTED : redactParams(x, depth + 1),
    ]),
  );
}

export function toToolRun(r: ToolRunsTable): ToolRun {
  return {
    id: r.id,
    investigationId: r.investigation_id,
    tool: r.tool,
    input: { type: r.input_type as EntityType, value: r.input_value, entityId: r.input_entity_id },
    params: parseJson<Record<string, unknown>>(r.params, {}),
    status: r.status,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    error: r.error,
    errorKind: r.error_kind,
    summary: r.summary,
    entityCount: r.entity_count,
    createdCount: r.created_count,
    egress: r.egress,
  };
}

export async function getToolRun(ctx: CoreContext, id: string): Promise<ToolRunDetail> {
  const row = await ctx.db.selectFrom('tool_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DossierError('not_found', `tool run ${id} not found`);
  const ids = parseJson<string[]>(row.entity_ids, []);
  const rows = ids.length ? await ctx.db.selectFrom('entities').selectAll().where('id', 'in', ids).execute() : [];
  const byId = new Map(rows.map((e) => [e.id, e]));
  return {
    ...toToolRun(row),
    output: parseJson<unknown>(row.output, null),
    entities: ids.map((i) => byId.get(i)).filter((e) => e !== undefined).map(toEntity),
  };
}

/**
 * One run of one tool, recorded: a `tool_runs` row (running), the tool, then
 * its entities and links and the finished row in one transaction, or the
 * error. Bad params or input are refused before anything is written.
 */
export async function runTool(ctx: CoreContext, args: RunToolArgs): Promise<ToolRunDetail> {
  const def = ctx.tools.get(args.tool);
  const inv = await ctx.db.selectFrom('investigations').select('id').where('id', '=', args.investigationId).executeTakeFirst();
  if (!inv) throw new DossierError('not_found', `investigation ${args.investigationId} not found`);
  const value = args.input.value.trim();
  const type = args.input.type ?? inferInputType(def.accepts, value);
  if (!type) throw new DossierError('invalid_input', `cannot tell the input type of "${value}" for ${def.name}; give its type (${def.accepts.join('|')})`);
  const input: ToolInput = { type, value, entityId: args.input.entityId };
  if (input.entityId) {
    const ent = await ctx.db.selectFrom('entities').select(['id', 'investigation_id']).where('id', '=', input.entityId).executeTakeFirst();
    if (!ent || ent.investigation_id !== args.investigationId) {
      throw new DossierError('invalid_input', `entity ${input.entityId} is not part of investigation ${args.investigationId}`);
    }
  }
  let params: unknown;
  let egressConfig;
  try {
    params = prepareToolCall(def, input, args.params ?? {});
    egressConfig = await effectiveEgress(ctx.settings, def.name, { param: egressParam(args.params) });
  } catch (e) {
    throw new DossierError('invalid_input', (e as Error).message);
  }
  try {
    checkEgressSupport(def, params, egressConfig);
  } catch (e) {
    if (e instanceof EgressUnsupportedError) throw new DossierError('egress_unsupported', e.message.replace(/^egress_unsupported: /, ''));
    throw e;
  }
  const egress = await resolveEgress(egressConfig, (name) => new Vault(ctx.db, ctx.secrets).reveal(name));

  const runId = newId('run');
  const started = ctx.clock.now();
  const t0 = performance.now();
  await ctx.db
    .insertInto('tool_runs')
    .values({
      id: runId,
      investigation_id: args.investigationId,
      tool: def.name,
      input_type: input.type,
      input_value: input.value,
      input_entity_id: input.entityId ?? null,
      params: JSON.stringify(redactParams(params ?? {})),
      status: 'running',
      started_at: started,
      finished_at: null,
      duration_ms: null,
      error: null,
      error_kind: null,
      summary: null,
      output: null,
      entity_count: 0,
      created_count: 0,
      entity_ids: '[]',
      egress: egress.label,
      owner: RUN_OWNER,
    })
    .execute();
  ctx.bus.emit('toolRuns.changed', { investigationId: args.investigationId, runId, tool: def.name, status: 'running' });

  const controller = new AbortController();
  const onAbort = () => controller.abort(args.signal?.reason);
  if (args.signal?.aborted) controller.abort(args.signal.reason);
  else args.signal?.addEventListener('abort', onAbort, { once: true });
  const toolCtx = makeToolContext(ctx, { investigationId: args.investigationId, runId, signal: controller.signal, gate: args.gate, egress });

  let result: ToolResult;
  try {
    result = await invokeTool(def, input, params, toolCtx);
  } catch (e) {
    const aborted = isAbort(e);
    const err = e instanceof ToolError ? e : null;
    const now = ctx.clock.now();
    await ctx.db
      .updateTable('tool_runs')
      .set({
        status: aborted ? 'cancelled' : 'failed',
        finished_at: now,
        duration_ms: Math.round(performance.now() - t0),
        error: aborted ? 'cancelled' : (e as Error).message,
        error_kind: aborted ? 'aborted' : (err?.kind ?? 'permanent'),
        output: err?.httpStatus || err?.retryAfterMs ? JSON.stringify({ httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, host: err.host }) : null,
      })
      .where('id', '=', runId)
      .execute();
    ctx.bus.emit('toolRuns.changed', { investigationId: args.investigationId, runId, tool: def.name, status: aborted ? 'cancelled' : 'failed' });
    toolCtx.log.info({ tool: def.name, kind: err?.kind, aborted }, 'tool run failed');
    return getToolRun(ctx, runId);
  } finally {
    args.signal?.removeEventListener('abort', onAbort);
  }

  const now = ctx.clock.now();
  let outcome;
  try {
    outcome = await persist(now);
  } catch (e) {
    // The results could not be written (e.g. the input entity was deleted meanwhile): the run fails, nothing half-written.
    await ctx.db
      .updateTable('tool_runs')
      .set({ status: 'failed', finished_at: ctx.clock.now(), duration_ms: Math.round(performance.now() - t0), error: `results not saved: ${(e as Error).message}`, error_kind: 'permanent', summary: result.summary })
      .where('id', '=', runId)
      .execute();
    ctx.bus.emit('toolRuns.changed', { investigationId: args.investigationId, runId, tool: def.name, status: 'failed' });
    return getToolRun(ctx, runId);
  }
  if (outcome.entityIds.length || outcome.created) {
    ctx.bus.emit('entities.changed', { investigationId: args.investigationId, added: outcome.created, removed: 0 });
  }
  ctx.bus.emit('toolRuns.changed', { investigationId: args.investigationId, runId, tool: def.name, status: 'succeeded' });
  return getToolRun(ctx, runId);

  function persist(now: number) {
    return ctx.db.transaction().execute(async (trx) => {
      const o = await persistToolResult(trx, { investigationId: args.investigationId, runId, input, result, now });
      await trx
        .updateTable('tool_runs')
        .set({
          status: 'succeeded',
          finished_at: now,
          duration_ms: Math.round(performance.now() - t0),
          summary: result.summary,
          output: result.output === undefined ? null : JSON.stringify(result.output),
          entity_count: o.entityIds.length,
          created_count: o.created,
          entity_ids: JSON.stringify(o.entityIds),
          input_entity_id: o.inputEntityId,
        })
        .where('id', '=', runId)
        .execute();
      if (o.entityIds.length || o.created) {
        await trx.updateTable('investigations').set({ updated_at: now }).where('id', '=', args.investigationId).execute();
      }
      return o;
    });
  }
}
