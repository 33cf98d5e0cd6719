import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { watchMethods, type WatchChange, type Watch } from '../../../preload/contract/watches.ts';
import { FINAL_BATCH_STATUSES } from '../../../preload/contract/batches.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { Executor } from '../batch/executor.ts';
import { findTemplate, templatePlaceholders } from '../templates/rows.ts';
import { checkAccepts, checkParams, requireTool } from '../templates/validate.ts';
import { newId } from '../util/ids.ts';
import { parseJson } from '../util/json.ts';
import type { TemplateStep } from '../../../preload/contract/templates.ts';
import { nextSlot, toSchedule } from './schedule.ts';
import { findWatch, getRun, scheduleOf, toRun, toWatch } from './rows.ts';
import { writeTx } from '../db/write.ts';
import type { WatchScheduler } from './scheduler.ts';
import type { WatchesTable } from './tables.ts';
import { siteUserKey } from '../verdicts/key.ts';

/**
 * A tool's params schema drops keys it does not know; a watch refuses them,
 * so a misspelt `--param site=GitHub` is not silently a watch over every site.
 */
function checkParamNames(def: { name: string; params: unknown }, params: Record<string, unknown>): void {
  if (!(def.params instanceof z.ZodObject)) return;
  const known = [...Object.keys(def.params.shape as Record<string, unknown>), 'egress'];
  const unknown = Object.keys(params).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new DossierError('invalid_input', `watch: ${def.name} has no parameter ${unknown.map((k) => `"${k}"`).join(', ')} (it takes ${known.join(', ')})`);
  }
}

export function createWatchHandlers(ctx: CoreContext, scheduler: WatchScheduler, executor: Executor): HandlersOf<typeof watchMethods> {
  const { db, bus } = ctx;
  const changed = (w: Pick<WatchesTable, 'id' | 'investigation_id'>, kind: 'created' | 'updated' | 'deleted') =>
    bus.emit('watches.changed', { id: w.id, kind, investigationId: w.investigation_id });

  async function get(id: string): Promise<Watch> {
    return toWatch(await findWatch(ctx, id));
  }

  /** The watch's target must be runnable now, so a bad tool, template or param is refused at creation, not at 3 a.m. */
  async function checkTarget(
    t: { tool?: string | null; template?: string | null; inputType?: string | null; params?: Record<string, unknown> },
    inputs: string[],
  ) {
    if (t.tool) {
      const def = requireTool(ctx.tools, t.tool, 'watch');
      checkParams(def, t.params ?? {}, 'watch');
      checkParamNames(def, t.params ?? {});
      checkAccepts(def, (t.inputType ?? def.accepts[0]!) as never, 'watch');
      return { template: null as string | null };
    }
    const row = await findTemplate(db, t.template!);
    const placeholders = templatePlaceholders(parseJson<TemplateStep[]>(row.steps, []));
    if (placeholders.length !== 1) {
      throw new DossierError(
        'invalid_input',
        `template "${row.name}" has ${placeholders.length} placeholders (${placeholders.join(', ')}); a watch fills exactly one`,
      );
    }
    if (t.params && Object.keys(t.params).length) throw new DossierError('invalid_input', 'params apply to tool watches; a template carries its own');
    void inputs;
    return { template: row.name };
  }

  const handlers: HandlersOf<typeof watchMethods> = {
    async 'watches.list'({ investigationId, limit, offset }) {
      let q = db.selectFrom('watches');
      if (investigationId) q = q.where('investigation_id', '=', investigationId);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toWatch), total: Number(total.n), limit, offset };
    },

    async 'watches.get'({ id }) {
      return get(id);
    },

    async 'watches.create'(input) {
      const inv = await db.selectFrom('investigations').select('id').where('id', '=', input.investigationId).executeTakeFirst();
      if (!inv) throw new DossierError('not_found', `investigation ${input.investigationId} not found`);
      const schedule = toSchedule(input.schedule);
      const { template } = await checkTarget(input, input.inputs);
      const now = ctx.clock.now();
      const row: WatchesTable = {
        id: newId('wat'),
        investigation_id: input.investigationId,
        name: input.name ?? `${input.tool ?? template}: ${input.inputs.slice(0, 3).join(', ')}${input.inputs.length > 3 ? ', …' : ''}`,
        kind: input.tool ? 'tool' : 'template',
        template,
        tool: input.tool ?? null,
        inputs: JSON.stringify(input.inputs),
        input_type: input.inputType ?? null,
        params: JSON.stringify(input.params ?? {}),
        every_ms: schedule.everyMs,
        cron: schedule.cron,
        timezone: schedule.timezone,
        status: input.paused ? 'paused' : 'active',
        builtin: null,
        next_due_at: input.paused ? null : nextSlot(schedule, now),
        last_run_at: null,
        last_change_at: null,
        last_change_counts: null,
        run_seq: 0,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('watches').values(row).execute();
      changed(row, 'created');
      return toWatch(row);
    },

    async 'watches.update'({ id, name, inputs, params, schedule }) {
      const w = await findWatch(ctx, id);
      if (w.builtin && (inputs || params)) throw new DossierError('invalid_input', 'a built-in watch keeps its target; change its name or schedule');
      const now = ctx.clock.now();
      const s = schedule ? toSchedule(schedule) : scheduleOf(w);
      const nextInputs = inputs ?? parseJson<string[]>(w.inputs, []);
      const nextParams = params ?? parseJson<Record<string, unknown>>(w.params, {});
      if (inputs || params) await checkTarget({ tool: w.tool, template: w.template, inputType: w.input_type, params: nextParams }, nextInputs);
      const changes: Partial<WatchesTable> = {
        name: name ?? w.name,
        inputs: JSON.stringify(nextInputs),
        params: JSON.stringify(nextParams),
        every_ms: s.everyMs,
        cron: s.cron,
        timezone: s.timezone,
        updated_at: now,
      };
      // A new schedule counts from now; the old next slot no longer applies.
      if (schedule && w.status === 'active') changes.next_due_at = nextSlot(s, now);
      await db.updateTable('watches').set(changes).where('id', '=', id).execute();
      changed(w, 'updated');
      return get(id);
    },

    async 'watches.delete'({ id }) {
      const w = await findWatch(ctx, id);
      // A run in progress is cancelled with its watch; the batch itself stays, like any batch, with what it found so far.
      const open = await db.selectFrom('watch_runs').select(['batch_id']).where('watch_id', '=', id).where('status', 'in', ['starting', 'running']).execute();
      let cancelledBatchId: string | null = null;
      await writeTx(ctx, () => ctx.sqlite.prepare(`delete from watches where id = ?`).run(id));
      for (const r of open) {
        if (!r.batch_id) continue;
        const b = await db.selectFrom('batches').select('status').where('id', '=', r.batch_id).executeTakeFirst();
        if (b && !(FINAL_BATCH_STATUSES as string[]).includes(b.status)) {
          await executor.cancel(r.batch_id);
          cancelledBatchId = r.batch_id;
        }
      }
      changed(w, 'deleted');
      return { id, deleted: true as const, cancelledBatchId };
    },

    async 'watches.pause'({ id }) {
      const w = await findWatch(ctx, id);
      if (w.status !== 'paused') {
        await db.updateTable('watches').set({ status: 'paused', next_due_at: null, updated_at: ctx.clock.now() }).where('id', '=', id).execute();
        changed(w, 'updated');
      }
      return get(id);
    },

    async 'watches.resume'({ id }) {
      const w = await findWatch(ctx, id);
      if (w.status !== 'active') {
        const now = ctx.clock.now();
        // Slots that passed while paused were declined, not missed: the schedule picks up from now.
        await db
          .updateTable('watches')
          .set({ status: 'active', next_due_at: nextSlot(scheduleOf(w), now), updated_at: now })
          .where('id', '=', id)
          .where('status', '=', 'paused')
          .execute();
        changed(w, 'updated');
      }
      return get(id);
    },

    async 'watches.runNow'({ id }) {
      const w = await findWatch(ctx, id);
      const run = await scheduler.claim(w, 'manual');
      await scheduler.launch(run!);
      return getRun(ctx, run!.id);
    },

    async 'watches.runs'({ id, limit, offset }) {
      await findWatch(ctx, id);
      const [rows, total] = await Promise.all([
        db
          .selectFrom('watch_runs')
          .leftJoin('batches', 'batches.id', 'watch_runs.batch_id')
          .selectAll('watch_runs')
          .select('batches.status as batch_status')
          .where('watch_id', '=', id)
          .orderBy('seq', 'desc')
          .limit(limit)
          .offset(offset)
          .execute(),
        db
          .selectFrom('watch_runs')
          .where('watch_id', '=', id)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map((r) => toRun(r, r.batch_status ?? null)), total: Number(total.n), limit, offset };
    },

    async 'watches.diff'({ runId, change, limit, offset }) {
      const run = await getRun(ctx, runId);
      const w = await findWatch(ctx, run.watchId);
      let q = db.selectFrom('watch_changes').where('run_id', '=', runId);
      if (change) q = q.where('change', '=', change);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('id').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      const keys = [...new Set(rows.filter((r) => r.site && r.username).map((r) => siteUserKey(r.site!, r.username!)))];
      const verdicts = keys.length ? await db.selectFrom('verdicts').select(['key', 'verdict']).where('key', 'in', keys).execute() : [];
      const byKey = new Map(verdicts.map((v) => [v.key, v.verdict]));
      const items: WatchChange[] = rows.map((r) => ({
        change: r.change,
        kind: r.kind,
        type: r.type,
        value: r.value,
        entityId: r.entity_id,
        fields: parseJson<WatchChange['fields']>(r.fields, []),
        before: r.change === 'new' ? null : { propertiesHash: r.before_props, evidenceHash: r.before_evidence },
        after: r.change === 'vanished' ? null : { propertiesHash: r.after_props, evidenceHash: r.after_evidence },
        verdict: r.site && r.username ? (byKey.get(siteUserKey(r.site, r.username)) ?? null) : null,
      }));
      return { run, watch: { id: w.id, name: w.name, investigationId: w.investigation_id }, counts: run.counts, items, total: Number(total.n), limit, offset };
    },

    async 'watches.newEntities'({ investigationId }) {
      // The latest completed, diffed run of each watch of the investigation: its new entities are "new since the last run".
      const latest = await db
        .selectFrom('watch_runs')
        .innerJoin('watches', 'watches.id', 'watch_runs.watch_id')
        .select(['watch_runs.id', 'watch_runs.watch_id', 'watch_runs.seq'])
        .where('watches.investigation_id', '=', investigationId)
        .where('watch_runs.status', '=', 'completed')
        .where('watch_runs.baseline', '=', 0)
        .orderBy('watch_runs.seq', 'desc')
        .execute();
      const runIds: string[] = [];
      const seen = new Set<string>();
      for (const r of latest) {
        if (seen.has(r.watch_id)) continue;
        seen.add(r.watch_id);
        runIds.push(r.id);
      }
      if (!runIds.length) return { entityIds: [], runIds };
      const rows = await db
        .selectFrom('watch_changes')
        .select('entity_id')
        .distinct()
        .where('run_id', 'in', runIds)
        .where('change', '=', 'new')
        .where('kind', '=', 'entity')
        .where('entity_id', 'is not', null)
        .execute();
      return { entityIds: rows.map((r) => r.entity_id!), runIds };
    },

    async 'watches.runHere'({ id }, opts) {
      const run = await handlers['watches.runNow']({ id }, opts);
      if (run.batchId) {
        // Cancelled (Ctrl-C): the executor here lets go, its batch stays resumable; its diff is made by
        // whichever Dossier process sees the batch end.
        const stop = () => void executor.stop();
        opts.signal?.addEventListener('abort', stop, { once: true });
        try {
          if (!opts.signal?.aborted) await executor.waitFor(run.batchId);
        } finally {
          opts.signal?.removeEventListener('abort', stop);
        }
        if (opts.signal?.aborted) return { interrupted: true, batchId: run.batchId };
        await scheduler.finalize(run.id);
      }
      return { interrupted: false, diff: await handlers['watches.diff']({ runId: run.id, limit: 200, offset: 0 }, opts) };
    },
  };
  return handlers;
}
