import type { CoreContext } from '../context.ts';
import type { BatchStatus } from '../../../preload/contract/batches.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { Watch, WatchCounts, WatchRun } from '../../../preload/contract/watches.ts';
import { parseJson } from '../util/json.ts';
import { iso } from '../util/time.ts';
import { describeSchedule, formatEvery, type Schedule } from './schedule.ts';
import type { WatchesTable, WatchRunsTable } from './tables.ts';

export function scheduleOf(w: Pick<WatchesTable, 'every_ms' | 'cron' | 'timezone'>): Schedule {
  return { everyMs: w.every_ms, cron: w.cron, timezone: w.timezone };
}

export function toWatch(w: WatchesTable): Watch {
  const s = scheduleOf(w);
  return {
    id: w.id,
    investigationId: w.investigation_id,
    name: w.name,
    kind: w.kind,
    template: w.template,
    tool: w.tool,
    inputs: parseJson<string[]>(w.inputs, []),
    inputType: (w.input_type as EntityType | null) ?? null,
    params: parseJson<Record<string, unknown>>(w.params, {}),
    schedule: { every: s.everyMs ? formatEvery(s.everyMs) : null, cron: s.cron, timezone: s.timezone, description: describeSchedule(s) },
    status: w.status,
    builtin: w.builtin,
    nextRunAt: w.status === 'active' ? iso(w.next_due_at) : null,
    lastRunAt: iso(w.last_run_at),
    lastChangeAt: iso(w.last_change_at),
    lastChangeCounts: parseJson<WatchCounts | null>(w.last_change_counts, null),
    runs: w.run_seq,
    createdAt: iso(w.created_at),
    updatedAt: iso(w.updated_at),
  };
}

export function toRun(r: WatchRunsTable, batchStatus: BatchStatus | null): WatchRun {
  return {
    id: r.id,
    watchId: r.watch_id,
    seq: r.seq,
    status: r.status,
    trigger: r.trigger,
    slotAt: iso(r.slot_at),
    batchId: r.batch_id,
    batchStatus,
    previousRunId: r.previous_run_id,
    counts: { new: r.new_count, vanished: r.vanished_count, changed: r.changed_count },
    baseline: r.baseline === 1,
    error: r.error,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

export async function findWatch(ctx: Pick<CoreContext, 'db'>, id: string): Promise<WatchesTable> {
  const w = await ctx.db.selectFrom('watches').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) throw new DossierError('not_found', `watch ${id} not found`);
  return w;
}

export async function getRun(ctx: Pick<CoreContext, 'db'>, id: string): Promise<WatchRun> {
  const r = await ctx.db
    .selectFrom('watch_runs')
    .leftJoin('batches', 'batches.id', 'watch_runs.batch_id')
    .selectAll('watch_runs')
    .select('batches.status as batch_status')
    .where('watch_runs.id', '=', id)
    .executeTakeFirst();
  if (!r) throw new DossierError('not_found', `watch run ${id} not found`);
  return toRun(r, r.batch_status ?? null);
}
