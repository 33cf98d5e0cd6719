import type SQLite from 'better-sqlite3';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { CoreContext } from '../context.ts';
import type { BatchStatus } from '../../../preload/contract/batches.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import type { WebhookEventType } from '../../../preload/contract/event-types.ts';
import { normalizeEntityValue } from '../entities/normalize.ts';
import { persistToolResult, type PersistOutcome } from '../tools/persist.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { operationId } from './rows.ts';
import { JobEventPolicy } from './job-events.ts';
import { OpRecorder, queueDepth, type RunRecord } from '../analytics/recorder.ts';
import type { ToolErrorCode } from '../../../preload/contract/analytics.ts';
import type { FinishChange, LiveBatch, StartChange } from './live.ts';
import { FindRecorder } from '../watches/finds.ts';

/** The committed state of a batch after a group commit. */
export interface BatchRowState {
  status: BatchStatus;
  name: string;
  investigation_id: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  error: string | null;
}

export interface CommitReport {
  batches: Map<LiveBatch, BatchRowState>;
  /** Batches that reached a final state in this commit. */
  finalized: Set<LiveBatch>;
  /** Batches that got new follow-up operations. */
  grew: Set<LiveBatch>;
  /** New entities per investigation (for the live `entities.changed` event). */
  discovered: Map<string, number>;
}

const MAX_OUTPUT_CHARS = 64_000;

export function dedupeKey(tool: string, type: string, value: string): string {
  return `${tool}\u001f${type}\u001f${normalizeEntityValue(type as EntityType, value)}`;
}

/**
 * Group commit for the executor. Operation starts and finishes are queued and
 * written together in one short transaction: operation status, the attempt
 * row, the batch counters, follow-up operations, the batch's final status and
 * the outbox events all commit at once, so a crash at any instant either has
 * all of a change or none of it. Every update of an operation is guarded by
 * its status (`pending`/`running`), so a finish that lost a race with a
 * cancel is never counted. A finish is acknowledged (its promise resolves)
 * only after its commit.
 *
 * Control changes (cancel, pause, adopt, ...) run through `exclusive`, so the
 * executor never writes from two places at once.
 */
export class CommitWriter {
  private starts = new Map<string, StartChange>();
  private finishes: { change: FinishChange; resolve: () => void }[] = [];
  private scheduled = false;
  private chain: Promise<unknown> = Promise.resolve();
  readonly jobs: JobEventPolicy;
  private readonly st: ReturnType<typeof prepare>;
  /** Watch runs keep what each of their operations found, for the diff against the run before. */
  private readonly finds: FindRecorder;
  /** Analytics written in the same commit: run latencies and outcomes, queue depth, breaker trips. */
  private readonly analytics: OpRecorder;
  private trips: { at: number; host: string; tool: string; investigationId: string }[] = [];
  onCommit: (r: CommitReport) => void = () => undefined;

  constructor(private readonly ctx: CoreContext) {
    this.jobs = new JobEventPolicy(ctx.sqlite);
    this.st = prepare(ctx.sqlite);
    this.finds = new FindRecorder(ctx.sqlite);
    this.analytics = new OpRecorder(ctx.sqlite);
  }

  /** A host's circuit opened; recorded with the next commit. */
  trip(host: string, tool: string, investigationId: string, at: number): void {
    this.trips.push({ at, host, tool, investigationId });
    this.schedule();
  }

  start(s: StartChange): void {
    this.starts.set(s.op.id, s);
    this.schedule();
  }

  finish(change: FinishChange): Promise<void> {
    return new Promise((resolve) => {
      this.finishes.push({ change, resolve });
      this.schedule();
    });
  }

  /** Run a synchronous body in its own transaction, after any commit in progress. */
  exclusive<T>(body: (st: Statements) => T): Promise<T> {
    const run = this.chain.then(() => this.transaction(() => body(this.st)));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once everything queued so far is committed. */
  drain(): Promise<void> {
    return this.exclusive(() => undefined);
  }

  outbox(type: WebhookEventType, data: unknown, investigationId: string | null, now: number): void {
    this.st.outbox.run(newId('evt'), type, JSON.stringify(data), investigationId, now);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every run that finished in this turn join the same commit.
    setImmediate(() => {
      const run = this.chain.then(() => this.flush());
      this.chain = run.catch(() => undefined);
    });
  }

  /** better-sqlite3 is one connection: when a Kysely transaction is open (possibly someone else's), go through Kysely so we wait for it instead of joining it. */
  private async transaction<T>(body: () => T, before?: (trx: Transaction<Database>) => Promise<void>): Promise<T> {
    if (!before && !this.ctx.sqlite.inTransaction) return this.ctx.sqlite.transaction(body)();
    return this.ctx.db.transaction().execute(async (trx) => {
      if (before) await before(trx);
      return body();
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const starts = this.starts;
    const finishes = this.finishes;
    const trips = this.trips;
    this.starts = new Map();
    this.finishes = [];
    this.trips = [];
    if (starts.size === 0 && finishes.length === 0 && trips.length === 0) return;
    const merged = new Set<string>();
    for (const f of finishes) if (starts.delete(f.change.op.id)) merged.add(f.change.op.id);
    const toPersist = finishes.filter((f) => f.change.outcome.kind === 'completed' && (f.change.outcome.result.entities.length > 0 || f.change.outcome.result.links.length > 0));
    const persisted = new Map<FinishChange, PersistOutcome | Error>();
    const now = this.ctx.clock.now();
    let report: CommitReport;
    for (let attempt = 1; ; attempt++) {
      try {
        persisted.clear();
        report = await this.transaction(
          () => this.apply(starts, finishes.map((f) => f.change), merged, persisted, now, trips),
          toPersist.length === 0
            ? undefined
            : async (trx) => {
                for (const f of toPersist) {
                  const c = f.change;
                  if (c.outcome.kind !== 'completed') continue;
                  // A savepoint per run: one result that cannot be stored fails that operation, not the whole commit.
                  this.ctx.sqlite.exec('savepoint persist_op');
                  try {
                    const out = await persistToolResult(trx, {
                      investigationId: c.batch.investigationId,
                      runId: c.op.id,
                      finder: c.batch.id,
                      input: { type: c.op.inputType as EntityType, value: c.op.inputValue, entityId: c.op.inputEntityId ?? undefined },
                      result: c.outcome.result,
                      now,
                    });
                    this.finds.record(c.batch.id, { tool: c.op.tool, inputType: c.op.inputType, inputValue: c.op.inputValue }, c.outcome.result, out.entityIds, out.inputEntityId);
                    this.ctx.sqlite.exec('release persist_op');
                    persisted.set(c, out);
                  } catch (e) {
                    this.ctx.sqlite.exec('rollback to persist_op');
                    this.ctx.sqlite.exec('release persist_op');
                    persisted.set(c, e instanceof Error ? e : new Error(String(e)));
                  }
                }
              },
        );
        break;
      } catch (e) {
        // SQLITE_BUSY beyond busy_timeout or a full disk: keep the changes queued and try again; nothing is acknowledged meanwhile.
        this.ctx.log.error({ err: e, attempt }, 'executor commit failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * attempt)));
      }
    }
    for (const f of finishes) f.resolve();
    this.onCommit(report);
  }

  private apply(
    starts: Map<string, StartChange>,
    finishes: FinishChange[],
    merged: Set<string>,
    persisted: Map<FinishChange, PersistOutcome | Error>,
    now: number,
    trips: { at: number; host: string; tool: string; investigationId: string }[] = [],
  ): CommitReport {
    const st = this.st;
    const rec = this.analytics;
    rec.reset();
    for (const t of trips) rec.trip(t.at, t.host, t.tool, t.investigationId);
    const touched = new Set<LiveBatch>();
    const record = (c: FinishChange, outcome: RunRecord['outcome'], code: string) =>
      rec.run({ at: c.finishedAt, investigationId: c.batch.investigationId, batchId: c.batch.id, tool: c.op.tool, outcome, code, durationMs: c.finishedAt - c.startedAt });
    const jobs = this.jobs.wanted(now);
    const deltas = new Map<LiveBatch, { completed: number; failed: number; total: number }>();
    const stops = new Map<LiveBatch, string>();
    const report: CommitReport = { batches: new Map(), finalized: new Set(), grew: new Set(), discovered: new Map() };
    const delta = (b: LiveBatch) => {
      let d = deltas.get(b);
      if (!d) deltas.set(b, (d = { completed: 0, failed: 0, total: 0 }));
      return d;
    };

    for (const s of starts.values()) {
      touched.add(s.batch);
      st.start.run(s.attempt, s.startedAt, s.op.id);
      if (jobs) this.outbox('job.started', jobData(s, 'running'), s.batch.investigationId, now);
    }

    for (const c of finishes) {
      const { batch: b, op, outcome } = c;
      const dur = c.finishedAt - c.startedAt;
      touched.add(b);
      if (jobs && merged.has(op.id) && outcome.kind !== 'aborted' && outcome.kind !== 'refused') {
        this.outbox('job.started', jobData(c, 'running'), b.investigationId, now);
      }
      let kind = outcome.kind;
      let error: string | null = null;
      let errorKind: string | null = null;
      let errorCode: ToolErrorCode | null = null;
      if (outcome.kind === 'completed') {
        const p = persisted.get(c);
        if (p instanceof Error) {
          kind = 'failed';
          error = `could not store the result: ${p.message}`;
          errorKind = 'permanent';
          errorCode = 'store_failed';
        } else {
          const r = outcome.result;
          const output = capOutput({ summary: r.summary, entities: r.entities.length, links: r.links.length, data: r.output });
          const changed = st.complete.run(c.attempt, c.startedAt, c.finishedAt, dur, output, op.id).changes;
          (changed ? st.attemptKnown : st.attempt).run({ op: op.id, attempt: c.attempt, startedAt: c.startedAt, finishedAt: c.finishedAt, dur: dur, outcome: 'completed', error: null, errorKind: null });
          if (changed) {
            record(c, 'completed', '');
            delta(b).completed++;
            if (p) report.discovered.set(b.investigationId, (report.discovered.get(b.investigationId) ?? 0) + p.created);
            if (jobs) this.outbox('job.completed', { ...jobData(c, 'completed'), summary: r.summary, entities: r.entities.length }, b.investigationId, now);
            if (p && op.depth < b.options.followUpDepth && b.plan.followUps.length) {
              const added = this.followUps(b, c, p, now, jobs);
              if (added) {
                delta(b).total += added;
                report.grew.add(b);
              }
            }
          }
          continue;
        }
      } else if (outcome.kind === 'failed') {
        error = outcome.error;
        errorKind = outcome.errorKind;
        errorCode = outcome.code ?? (outcome.errorKind === 'transient' ? 'transient' : 'tool_error');
      }
      if (kind === 'failed') {
        const changed = st.fail.run(c.attempt, c.startedAt, c.finishedAt, dur, error, errorKind, op.id).changes;
        (changed ? st.attemptKnown : st.attempt).run({ op: op.id, attempt: c.attempt, startedAt: c.startedAt, finishedAt: c.finishedAt, dur: dur, outcome: 'failed', error: error, errorKind: errorKind });
        if (changed) {
          record(c, 'failed', errorCode ?? 'tool_error');
          delta(b).failed++;
          if (jobs) this.outbox('job.failed', { ...jobData(c, 'failed'), error, errorKind }, b.investigationId, now);
          if (b.options.stopOnError && !stops.has(b)) stops.set(b, `stopped on error: ${op.tool} ${op.inputValue}: ${error}`);
        }
      } else if (outcome.kind === 'retry' || outcome.kind === 'refused') {
        const spent = outcome.kind === 'retry' ? c.attempt : c.attempt - 1;
        const requeued = st.requeue.run(spent, outcome.nextAttemptAt, outcome.error, 'transient', op.id).changes;
        if (requeued) record(c, outcome.kind, outcome.kind === 'retry' ? (outcome.code ?? 'transient') : 'circuit_open');
        st.attempt.run({ op: op.id, attempt: c.attempt, startedAt: c.startedAt, finishedAt: c.finishedAt, dur: dur, outcome: outcome.kind === 'retry' ? 'failed' : 'refused', error: outcome.error, errorKind: 'transient' });
      } else if (outcome.kind === 'aborted') {
        // Shutdown: back to pending with the attempt not spent. Cancel/stop: the control change already marked it cancelled.
        if (outcome.reason === 'shutdown') st.requeue.run(c.attempt - 1, 0, null, null, op.id);
        st.attempt.run({ op: op.id, attempt: c.attempt, startedAt: c.startedAt, finishedAt: c.finishedAt, dur: dur, outcome: 'aborted', error: `aborted (${outcome.reason})`, errorKind: 'cancelled' });
      }
    }

    for (const [b, d] of deltas) st.counters.run(d.completed, d.failed, d.total, now, b.id);
    for (const [b, reason] of stops) {
      const n = st.cancelRest.run(now, 'cancelled: an earlier operation failed (stop on error)', b.id).changes;
      st.addCancelled.run(n, now, b.id);
      this.finalize(b, 'failed', reason, now);
      report.finalized.add(b);
    }
    for (const b of new Set([...deltas.keys(), ...stops.keys()])) {
      let row = st.read.get(b.id) as BatchRowState | undefined;
      if (!row) continue;
      if (!report.finalized.has(b) && (row.status === 'running' || row.status === 'paused') && row.completed + row.failed + row.cancelled >= row.total) {
        const status: BatchStatus = row.completed === 0 && row.failed > 0 ? 'failed' : 'completed';
        this.finalize(b, status, status === 'failed' ? 'no operation succeeded' : null, now);
        report.finalized.add(b);
        row = st.read.get(b.id) as BatchRowState;
      }
      report.batches.set(b, row);
    }
    for (const b of touched) {
      const row = report.batches.get(b) ?? (st.read.get(b.id) as BatchRowState | undefined);
      if (!row) continue;
      const [pending, running] = queueDepth(row.status, row.total - row.completed - row.failed - row.cancelled, b.inflight.size);
      rec.sample(b.id, b.investigationId, now, pending, running);
    }
    rec.flush();
    return report;
  }

  /** Queue depth after a control change (pause, resume, cancel), in the caller's exclusive transaction. */
  sampleQueue(b: { id: string; investigationId: string }, row: Pick<BatchRowState, 'status' | 'total' | 'completed' | 'failed' | 'cancelled'>, inflight: number, now: number): void {
    const [pending, running] = queueDepth(row.status, row.total - row.completed - row.failed - row.cancelled, inflight);
    this.analytics.writeSample(b.id, b.investigationId, now, pending, running);
  }

  /** Final status and its outbox event in the current transaction. */
  finalize(b: { id: string; investigationId: string }, status: 'completed' | 'failed' | 'cancelled', error: string | null, now: number): void {
    this.st.finalize.run(status, now, now, error, b.id);
    const row = this.st.read.get(b.id) as BatchRowState;
    this.outbox(`batch.${status}`, { batch: batchEventData(b.id, row) }, b.investigationId, now);
  }

  private followUps(b: LiveBatch, c: FinishChange, p: PersistOutcome, now: number, jobs: boolean): number {
    if (c.outcome.kind !== 'completed') return 0;
    const produced = c.outcome.result.entities;
    let added = 0;
    for (let i = 0; i < produced.length; i++) {
      const e = produced[i]!;
      const entityId = p.entityIds[i] ?? null;
      for (const rule of b.plan.followUps) {
        if (rule.whenType !== e.type) continue;
        const seq = ++b.nextSeq;
        const id = operationId(b.id, seq);
        const params = JSON.stringify(rule.params ?? {});
        const inserted = this.st.insertOp.run(
          id, b.id, seq, rule.tool, e.type, e.value.trim(), entityId, params, c.op.depth + 1, c.op.id, dedupeKey(rule.tool, e.type, e.value),
        ).changes;
        if (inserted) {
          added++;
          if (jobs) {
            this.outbox('job.created', { job: { id, batchId: b.id, tool: rule.tool, input: { type: e.type, value: e.value }, depth: c.op.depth + 1, status: 'pending' } }, b.investigationId, now);
          }
        }
      }
    }
    return added;
  }
}

function jobData(c: StartChange, status: string) {
  return {
    job: {
      id: c.op.id,
      batchId: c.batch.id,
      tool: c.op.tool,
      input: { type: c.op.inputType, value: c.op.inputValue },
      depth: c.op.depth,
      attempt: c.attempt,
      status,
      startedAt: iso(c.startedAt),
    },
  };
}

export function batchEventData(id: string, row: BatchRowState) {
  return {
    id,
    name: row.name,
    investigationId: row.investigation_id,
    status: row.status,
    total: row.total,
    completed: row.completed,
    failed: row.failed,
    cancelled: row.cancelled,
    error: row.error,
  };
}

function capOutput(o: { summary: string; entities: number; links: number; data?: unknown }): string {
  const text = JSON.stringify(o);
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  return JSON.stringify({ summary: o.summary, entities: o.entities, links: o.links, truncated: true });
}

export type Statements = ReturnType<typeof prepare>;

function prepare(db: SQLite.Database) {
  const live = `status in ('pending','running')`;
  return {
    start: db.prepare(`update operations set status = 'running', attempts = ?, started_at = ? where id = ? and ${live}`),
    complete: db.prepare(
      `update operations set status = 'completed', attempts = ?, started_at = ?, finished_at = ?, duration_ms = ?, output = ?, error = null, error_kind = null where id = ? and ${live}`,
    ),
    fail: db.prepare(`update operations set status = 'failed', attempts = ?, started_at = ?, finished_at = ?, duration_ms = ?, error = ?, error_kind = ? where id = ? and ${live}`),
    requeue: db.prepare(`update operations set status = 'pending', attempts = ?, next_attempt_at = ?, error = ?, error_kind = ? where id = ? and ${live}`),
    attemptKnown: db.prepare(
      `insert into operation_attempts (operation_id, attempt, started_at, finished_at, duration_ms, outcome, error, error_kind)
       values (@op, @attempt, @startedAt, @finishedAt, @dur, @outcome, @error, @errorKind)`,
    ),
    attempt: db.prepare(
      // Guarded: the batch may have been deleted (by another process) while this run was in flight.
      `insert into operation_attempts (operation_id, attempt, started_at, finished_at, duration_ms, outcome, error, error_kind)
       select @op, @attempt, @startedAt, @finishedAt, @dur, @outcome, @error, @errorKind where exists (select 1 from operations where id = @op)`,
    ),
    counters: db.prepare(`update batches set completed = completed + ?, failed = failed + ?, total = total + ?, updated_at = ? where id = ?`),
    addCancelled: db.prepare(`update batches set cancelled = cancelled + ?, updated_at = ? where id = ?`),
    cancelRest: db.prepare(`update operations set status = 'cancelled', finished_at = ?, error = ?, error_kind = 'cancelled' where batch_id = ? and ${live}`),
    read: db.prepare(`select status, name, investigation_id, total, completed, failed, cancelled, error from batches where id = ?`),
    finalize: db.prepare(`update batches set status = ?, finished_at = ?, updated_at = ?, error = ?, lease_owner = null, lease_until = null where id = ?`),
    insertOp: db.prepare(
      `insert or ignore into operations (id, batch_id, seq, tool, input_type, input_value, input_entity_id, params, depth, parent_id, dedupe_key, status, attempts, next_attempt_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0)`,
    ),
    outbox: db.prepare(`insert into outbox (id, type, payload, investigation_id, created_at, dispatched_at) values (?, ?, ?, ?, ?, null)`),
  };
}
