import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import type { Executor } from '../batch/executor.ts';
import { LEASE_MS } from '../batch/lease.ts';
import { heldElsewhere } from '../util/lease.ts';
import { createBatch } from '../batch/create.ts';
import type { CreateBatchArgs } from '../batch/create.ts';
import { FINAL_BATCH_STATUSES, type BatchStatus } from '../../../preload/contract/batches.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { WatchChange, WatchCounts, WatchRunTrigger } from '../../../preload/contract/watches.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { diffFinds, type Change } from './diff.ts';
import { opKey, type Find } from './finds.ts';
import { nextSlot } from './schedule.ts';
import { scheduleOf } from './rows.ts';
import { writeTx } from '../db/write.ts';
import type { WatchesTable, WatchFindsTable, WatchRunsTable } from './tables.ts';
import { siteUserKey } from '../verdicts/key.ts';

/** How long a process may take between claiming a slot and linking the run's batch before another takes over. */
const START_LEASE_MS = 60_000;
const TICK_MS = 1000;
/** A slot started this late was missed (no Dossier process was running at its time). */
const MISSED_AFTER_MS = 60_000;
/** Changes carried in the `watch.changed` event (SPEC §3.10); the rest are in the run's diff. */
export const EVENT_CHANGES = 100;

/** Built-in watches that are not batches (the daily site check): run the work, report how many things changed. */
export type BuiltinRunner = () => Promise<{ changed: number; error?: string }>;

/**
 * The watch scheduler, one of the core's background workers (desktop,
 * `serve`, `relay start`).
 *
 * Durable: each watch's next due time is in SQLite. A slot is claimed by a
 * compare-and-set on that time inside an immediate transaction, which also
 * inserts the run (unique per watch and slot), so however many processes
 * share the data directory, each slot starts once. Between the claim and
 * the batch the run holds a lease; a run left `starting` by a dead process is
 * taken over. A process that starts after slots passed runs the watch once
 * and moves the next due time past now, not once per missed slot.
 *
 * Each run is an ordinary batch. When it ends (here or in any other process),
 * the first process to see it computes the diff against the previous run in
 * one transaction guarded by the run's status, with the `watch.changed`
 * event in the same transaction.
 */
export class WatchScheduler implements BackgroundWorker {
  readonly name = 'watches';
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private offBus: (() => void) | null = null;
  private readonly builtins = new Map<string, BuiltinRunner>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly executor: Executor,
  ) {}

  get owner(): string {
    return this.executor.owner;
  }

  registerBuiltin(name: string, run: BuiltinRunner): void {
    this.builtins.set(name, run);
  }

  async start(): Promise<void> {
    this.offBus ??= this.ctx.bus.on('batches.changed', (e) => {
      if (e.status && (FINAL_BATCH_STATUSES as string[]).includes(e.status))
        void this.finalizeBatch(e.batchId).catch((err: unknown) => this.ctx.log.error({ err }, 'watch run finalize failed'));
    });
    await this.tick();
    this.timer ??= setInterval(() => void this.tick().catch((err: unknown) => this.ctx.log.error({ err }, 'watch scheduler tick failed')), TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.offBus?.();
    this.offBus = null;
    await this.ticking;
  }

  /** One pass: take over stalled starts, start due slots, diff runs whose batch ended. Tests call it with a moved clock. */
  tick(): Promise<void> {
    this.ticking ??= (async () => {
      try {
        await this.recoverStarts();
        await this.startDue();
        await this.finalizeOpen();
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  // ------------------------------------------------------------ starting

  private async startDue(): Promise<void> {
    const now = this.ctx.clock.now();
    const due = await this.ctx.db
      .selectFrom('watches')
      .selectAll()
      .where('status', '=', 'active')
      .where('next_due_at', 'is not', null)
      .where('next_due_at', '<=', now)
      .orderBy('next_due_at')
      .execute();
    for (const w of due) {
      const run = await this.claim(w, 'schedule');
      if (run) await this.launch(run);
    }
  }

  /**
   * Claim the watch's due slot (or a manual run): move the next due time on
   * and insert the run, in one immediate transaction. Null when another
   * process got the slot first, or when the previous run is still going
   * (that slot is skipped, the next one stands).
   */
  async claim(w: WatchesTable, trigger: 'schedule' | 'manual'): Promise<WatchRunsTable | null> {
    const now = this.ctx.clock.now();
    const s = scheduleOf(w);
    return writeTx(this.ctx, () => {
      const db = this.ctx.sqlite;
      let slot: number | null = null;
      if (trigger === 'schedule') {
        slot = w.next_due_at!;
        const next = nextSlot(s, now, s.everyMs ? slot : now);
        const moved = db
          .prepare(`update watches set next_due_at = ?, updated_at = ? where id = ? and status = 'active' and next_due_at = ?`)
          .run(next, now, w.id, slot).changes;
        if (!moved) return null;
      }
      const current = db.prepare(`select * from watches where id = ?`).get(w.id) as WatchesTable | undefined;
      if (!current) {
        if (trigger === 'manual') throw new DossierError('not_found', `watch ${w.id} not found`);
        return null;
      }
      const open = db.prepare(`select id from watch_runs where watch_id = ? and status in ('starting','running') limit 1`).get(w.id) as
        { id: string } | undefined;
      if (open) {
        if (trigger === 'manual') throw new DossierError('busy', `watch "${w.name}" has a run in progress (${open.id})`);
        this.ctx.log.info({ watch: w.id, slot: iso(slot) }, 'watch slot skipped: the previous run is still going');
        return null;
      }
      const seq = current.run_seq + 1;
      db.prepare(`update watches set run_seq = ?, last_run_at = ?, updated_at = ? where id = ?`).run(seq, now, now, w.id);
      const kind: WatchRunTrigger = trigger === 'manual' ? 'manual' : now - slot! > MISSED_AFTER_MS ? 'missed' : 'schedule';
      const run: WatchRunsTable = {
        id: newId('wrn'),
        watch_id: w.id,
        seq,
        status: 'starting',
        trigger: kind,
        slot_at: slot,
        batch_id: null,
        previous_run_id: null,
        new_count: 0,
        vanished_count: 0,
        changed_count: 0,
        baseline: 0,
        error: null,
        lease_owner: this.owner,
        lease_until: now + START_LEASE_MS,
        started_at: now,
        finished_at: null,
      };
      db.prepare(
        `insert into watch_runs (id, watch_id, seq, status, trigger, slot_at, batch_id, previous_run_id, new_count, vanished_count, changed_count, baseline, error, lease_owner, lease_until, started_at, finished_at)
         values (@id, @watch_id, @seq, @status, @trigger, @slot_at, @batch_id, @previous_run_id, @new_count, @vanished_count, @changed_count, @baseline, @error, @lease_owner, @lease_until, @started_at, @finished_at)`,
      ).run(run);
      return run;
    }).then((run) => {
      if (run) this.ctx.bus.emit('watches.changed', { id: w.id, kind: 'updated', investigationId: w.investigation_id });
      return run;
    });
  }

  /** Create the run's batch (leased to this process so no other executor starts it before it is linked), link it, run it. */
  async launch(run: WatchRunsTable): Promise<void> {
    const w = await this.ctx.db.selectFrom('watches').selectAll().where('id', '=', run.watch_id).executeTakeFirst();
    if (!w) return; // deleted meanwhile: its runs went with it
    if (w.builtin) return this.launchBuiltin(w, run);
    let batchId: string;
    try {
      const args: CreateBatchArgs = {
        investigationId: w.investigation_id!,
        name: `${w.name} #${run.seq}`,
        ...(w.kind === 'tool'
          ? { tool: w.tool!, params: parseJson<Record<string, unknown>>(w.params, {}), inputType: (w.input_type as EntityType | null) ?? undefined }
          : { template: w.template! }),
        source: { kind: 'list', values: parseJson<string[]>(w.inputs, []) },
      };
      const batch = await createBatch(this.ctx, args, { leaseOwner: this.owner, leaseMs: LEASE_MS });
      batchId = batch.id;
    } catch (e) {
      await this.endRun(run.id, 'failed', `could not start the batch: ${(e as Error).message}`);
      return;
    }
    const linked = await writeTx(
      this.ctx,
      () =>
        this.ctx.sqlite
          .prepare(
            `update watch_runs set batch_id = ?, status = 'running', lease_owner = null, lease_until = null where id = ? and status = 'starting' and lease_owner = ?`,
          )
          .run(batchId, run.id, this.owner).changes,
    );
    if (!linked) {
      // The watch was deleted (or the start taken over) while the batch was created: do not leave it running unwatched.
      await this.executor.cancel(batchId).catch(() => undefined);
      return;
    }
    this.ctx.bus.emit('watches.changed', { id: w.id, kind: 'updated', investigationId: w.investigation_id });
    await this.executor.adopt(batchId);
  }

  private async launchBuiltin(w: WatchesTable, run: WatchRunsTable): Promise<void> {
    const runner = w.builtin ? this.builtins.get(w.builtin) : undefined;
    if (!runner) {
      await this.endRun(run.id, 'failed', `no runner for built-in watch "${w.builtin}"`);
      return;
    }
    await writeTx(this.ctx, () => this.ctx.sqlite.prepare(`update watch_runs set status = 'running' where id = ? and status = 'starting'`).run(run.id));
    try {
      const r = await runner();
      const now = this.ctx.clock.now();
      await writeTx(this.ctx, () => {
        this.ctx.sqlite
          .prepare(
            `update watch_runs set status = ?, changed_count = ?, error = ?, finished_at = ?, lease_owner = null, lease_until = null where id = ? and status = 'running'`,
          )
          .run(r.error ? 'failed' : 'completed', r.changed, r.error ?? null, now, run.id);
        if (r.changed)
          this.ctx.sqlite
            .prepare(`update watches set last_change_at = ?, last_change_counts = ? where id = ?`)
            .run(now, JSON.stringify({ new: 0, vanished: 0, changed: r.changed }), w.id);
      });
    } catch (e) {
      await this.endRun(run.id, 'failed', (e as Error).message);
    }
    this.ctx.bus.emit('watches.changed', { id: w.id, kind: 'updated', investigationId: w.investigation_id });
  }

  private async endRun(runId: string, status: 'failed' | 'cancelled', error: string | null): Promise<void> {
    const now = this.ctx.clock.now();
    const watch = await writeTx(this.ctx, () => {
      const ch = this.ctx.sqlite
        .prepare(
          `update watch_runs set status = ?, error = ?, finished_at = ?, lease_owner = null, lease_until = null where id = ? and status in ('starting','running')`,
        )
        .run(status, error, now, runId).changes;
      if (!ch) return null;
      return this.ctx.sqlite.prepare(`select w.id, w.investigation_id from watches w join watch_runs r on r.watch_id = w.id where r.id = ?`).get(runId) as Pick<
        WatchesTable,
        'id' | 'investigation_id'
      >;
    });
    if (watch) this.ctx.bus.emit('watches.changed', { id: watch.id, kind: 'updated', investigationId: watch.investigation_id });
  }

  /** Runs left `starting` by a process that died (or stalled past its lease) are started again here. */
  private async recoverStarts(): Promise<void> {
    const now = this.ctx.clock.now();
    const stalled = this.ctx.sqlite
      .prepare(`select * from watch_runs where status = 'starting' and (lease_owner is null or lease_owner != ?)`)
      .all(this.owner) as WatchRunsTable[];
    for (const r of stalled) {
      if (heldElsewhere(r.lease_owner, r.lease_until, this.owner, now)) continue;
      const took = await writeTx(
        this.ctx,
        () =>
          this.ctx.sqlite
            .prepare(`update watch_runs set lease_owner = ?, lease_until = ? where id = ? and status = 'starting' and lease_owner is ?`)
            .run(this.owner, now + START_LEASE_MS, r.id, r.lease_owner).changes,
      );
      if (took) await this.launch({ ...r, lease_owner: this.owner });
    }
  }

  // ------------------------------------------------------------ finishing

  private async finalizeOpen(): Promise<void> {
    const rows = this.ctx.sqlite
      .prepare(
        `select r.id, r.batch_id, b.status as batch_status from watch_runs r left join batches b on b.id = r.batch_id
         where r.status = 'running' and r.batch_id is not null`,
      )
      .all() as { id: string; batch_id: string; batch_status: BatchStatus | null }[];
    for (const r of rows) {
      if (r.batch_status === null) await this.endRun(r.id, 'failed', `its batch ${r.batch_id} was deleted before it ended`);
      else if ((FINAL_BATCH_STATUSES as string[]).includes(r.batch_status)) await this.finalize(r.id);
    }
  }

  async finalizeBatch(batchId: string): Promise<void> {
    const r = this.ctx.sqlite.prepare(`select id from watch_runs where batch_id = ? and status = 'running'`).get(batchId) as { id: string } | undefined;
    if (r) await this.finalize(r.id);
  }

  /**
   * The run's batch ended: diff its finds against the previous completed run,
   * store the changes and counts, and write `watch.changed` when something
   * changed, all in one transaction that only the first process to get here
   * commits (it moves the run out of `running`).
   */
  async finalize(runId: string): Promise<void> {
    const now = this.ctx.clock.now();
    const db = this.ctx.sqlite;
    const result = await writeTx(this.ctx, () => {
      const run = db.prepare(`select * from watch_runs where id = ? and status = 'running'`).get(runId) as WatchRunsTable | undefined;
      if (!run) return null;
      const batch = db.prepare(`select status, error from batches where id = ?`).get(run.batch_id) as { status: BatchStatus; error: string | null } | undefined;
      if (!batch || !(FINAL_BATCH_STATUSES as string[]).includes(batch.status)) return null;
      const w = db.prepare(`select * from watches where id = ?`).get(run.watch_id) as WatchesTable;
      if (batch.status !== 'completed') {
        // A failed or cancelled batch proves nothing about what vanished: no diff, and the next run compares with the last good one.
        db.prepare(`update watch_runs set status = ?, error = ?, finished_at = ? where id = ?`).run(
          batch.status,
          batch.error ?? `batch ${batch.status}`,
          now,
          run.id,
        );
        return { w, run, counts: null, changes: [] as Change[], baseline: false };
      }
      const prev = db
        .prepare(`select id from watch_runs where watch_id = ? and seq < ? and status = 'completed' order by seq desc limit 1`)
        .get(run.watch_id, run.seq) as { id: string } | undefined;
      const current = (db.prepare(`select * from watch_finds where run_id = ?`).all(run.id) as WatchFindsTable[]).map(toFind);
      const previous = prev ? (db.prepare(`select * from watch_finds where run_id = ?`).all(prev.id) as WatchFindsTable[]).map(toFind) : [];
      const ops = db.prepare(`select tool, input_type, input_value from operations where batch_id = ? and status = 'completed'`).all(run.batch_id) as {
        tool: string;
        input_type: string;
        input_value: string;
      }[];
      const completed = new Set(ops.map((o) => opKey(o.tool, o.input_type, o.input_value)));
      // The first run is the baseline: all of it is new, stored as such, announced as nothing.
      const changes = diffFinds(previous, current, completed);
      const counts: WatchCounts = { new: 0, vanished: 0, changed: 0 };
      for (const c of changes) counts[c.change]++;
      const ins = db.prepare(
        `insert into watch_changes (run_id, change, kind, type, value, entity_id, fields, before_props, before_evidence, after_props, after_evidence, site, username)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const c of changes) {
        const after = c.change === 'vanished' ? null : c.find;
        ins.run(
          run.id,
          c.change,
          c.find.kind,
          c.find.type,
          c.find.value,
          c.find.entityId,
          JSON.stringify(c.fields),
          c.before?.propsHash ?? null,
          c.before?.evidenceHash ?? null,
          after?.propsHash ?? null,
          after?.evidenceHash ?? null,
          c.find.site,
          c.find.username,
        );
      }
      const baseline = !prev;
      db.prepare(
        `update watch_runs set status = 'completed', finished_at = ?, previous_run_id = ?, new_count = ?, vanished_count = ?, changed_count = ?, baseline = ? where id = ?`,
      ).run(now, prev?.id ?? null, counts.new, counts.vanished, counts.changed, baseline ? 1 : 0, run.id);
      const any = counts.new + counts.vanished + counts.changed > 0;
      if (any && !baseline) {
        db.prepare(`update watches set last_change_at = ?, last_change_counts = ? where id = ?`).run(now, JSON.stringify(counts), w.id);
        const items = changes.slice(0, EVENT_CHANGES).map((c) => changePayload(c, verdictOf(db, c.find)));
        const data = {
          watch: { id: w.id, name: w.name, investigationId: w.investigation_id },
          run: {
            id: run.id,
            seq: run.seq,
            batchId: run.batch_id,
            trigger: run.trigger,
            startedAt: iso(run.started_at),
            finishedAt: iso(now),
            previousRunId: prev!.id,
          },
          counts,
          changes: items,
          truncated: changes.length > items.length,
        };
        db.prepare(`insert into outbox (id, type, payload, investigation_id, created_at, dispatched_at) values (?, 'watch.changed', ?, ?, ?, null)`).run(
          newId('evt'),
          JSON.stringify(data),
          w.investigation_id,
          now,
        );
      }
      return { w, run, counts, changes, baseline };
    });
    if (!result) return;
    const { w, run, counts, baseline } = result;
    this.ctx.bus.emit('watches.changed', { id: w.id, kind: 'updated', investigationId: w.investigation_id });
    if (counts && !baseline && counts.new + counts.vanished + counts.changed > 0) {
      this.ctx.bus.emit('watch.changed', { watchId: w.id, watchName: w.name, investigationId: w.investigation_id ?? '', runId: run.id, counts });
    }
  }
}

function toFind(r: WatchFindsTable): Find {
  return {
    key: r.key,
    kind: r.kind,
    type: r.type,
    value: r.value,
    entityId: r.entity_id,
    propsHash: r.props_hash,
    evidenceHash: r.evidence_hash,
    opKey: r.op_key,
    site: r.site,
    username: r.username,
  };
}

function verdictOf(db: CoreContext['sqlite'], f: Find): WatchChange['verdict'] {
  if (!f.site || !f.username) return null;
  const v = db.prepare(`select verdict from verdicts where key = ?`).get(siteUserKey(f.site, f.username)) as { verdict: WatchChange['verdict'] } | undefined;
  return v?.verdict ?? null;
}

export function changePayload(c: Change, verdict: WatchChange['verdict']): WatchChange {
  const after = c.change === 'vanished' ? null : c.find;
  return {
    change: c.change,
    kind: c.find.kind,
    type: c.find.type,
    value: c.find.value,
    entityId: c.find.entityId,
    fields: c.fields,
    before: c.before ? { propertiesHash: c.before.propsHash, evidenceHash: c.before.evidenceHash } : null,
    after: after ? { propertiesHash: after.propsHash, evidenceHash: after.evidenceHash } : null,
    verdict,
  };
}
