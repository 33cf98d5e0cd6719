import type SQLite from 'better-sqlite3';
import type { CoreContext } from '../context.ts';
import type { OnlyFinds } from '../entities/finders.ts';
import type { BackgroundWorker } from '../workers.ts';
import type { BatchOptions, BatchStatus, BatchSummary, HostState } from '../../../preload/contract/batches.ts';
import type { TemplateRunInputs } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { parseJson } from '../util/json.ts';
import { findTemplate } from '../templates/rows.ts';
import { templatePlaceholders } from '../templates/rows.ts';
import type { TemplateStep } from '../../../preload/contract/templates.ts';
import { ExecutorGate, type GateSettings } from './gate.ts';
import { CommitWriter, type BatchRowState, type CommitReport } from './commit.ts';
import {
  cancelRest,
  changeStatus,
  deleteBatch,
  isFinal,
  newLiveBatch,
  orphanCandidates,
  pausedElsewhere,
  releaseDeadPaused,
  releaseLeases,
  renewLeases,
  resetFailed,
  takeLease,
} from './controls.ts';
import { createBatch, rowsFromInputs, type CreateBatchArgs } from './create.ts';
import { insertDelayed, type AbortReason, type ClaimedOp, type LiveBatch, type Outcome } from './live.ts';
import { LEASE_MS } from './lease.ts';
import { heldElsewhere } from '../util/lease.ts';
import { leaseOwnerId } from '../util/process-owner.ts';
import { ProgressReporter } from './progress.ts';
import { runOperation } from './run-op.ts';
import type { BatchesTable } from './tables.ts';
import { summaryOf } from './rows.ts';

const PAGE = 512;
const TICK_MS = 1000;
/** Finished runs waiting for their group commit; past this, nothing new starts until a commit lands. */
const MAX_UNCOMMITTED = 512;

/**
 * The durable batch executor.
 *
 * Scheduling: batches this process holds the lease of are walked by priority
 * (then age); each gets up to its max_parallel runs, all of them together up
 * to the `executor.concurrency` setting. Pending operations are claimed a page
 * at a time in seq order, so memory does not grow with the batch.
 *
 * Durability: every change goes through the CommitWriter (group commit);
 * a run's slot is released, and its result counted and announced, only after
 * the commit. On start (and whenever a batch's lease lapses or its owner
 * process is gone) operations left `running` return to `pending` and the
 * batch resumes where it was.
 *
 * Several processes may share the database (the desktop, `dossier batch run`):
 * a batch is run by the one process holding its lease, which it renews every
 * second and reconciles with the status in the database, so pause, resume and
 * cancel from another process take effect within a second.
 */
export class Executor implements BackgroundWorker {
  readonly name = 'executor';
  readonly owner = leaseOwnerId();
  readonly gate: ExecutorGate;
  private readonly writer: CommitWriter;
  private readonly live = new Map<string, LiveBatch>();
  private readonly sqlite: SQLite.Database;
  private concurrency = 64;
  private running = 0;
  private uncommitted = 0;
  private started = false;
  private closing = false;
  private ticker: NodeJS.Timeout | null = null;
  private wake: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private pumping = false;
  private repump = false;
  private ticks = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly claimStmt: SQLite.Statement;
  private readonly progress: ProgressReporter;

  constructor(private readonly ctx: CoreContext) {
    this.sqlite = ctx.sqlite;
    this.gate = new ExecutorGate({ hostRates: {}, defaultRate: 2, breakerFailures: 5, breakerCooldownMs: 30_000 }, ctx.clock, (host) =>
      ctx.bus.emit('hosts.changed', { host }),
    );
    this.writer = new CommitWriter(ctx);
    this.writer.onCommit = (r) => this.afterCommit(r);
    this.progress = new ProgressReporter(ctx, (b) => this.live.get(b.id) === b);
    this.claimStmt = ctx.sqlite.prepare(
      `select id, seq, tool, input_type as inputType, input_value as inputValue, input_entity_id as inputEntityId, params, depth, attempts, next_attempt_at as nextAttemptAt
       from operations where batch_id = ? and status = 'pending' and seq > ? order by seq limit ?`,
    );
  }

  // ---------------------------------------------------------------- worker

  /** Worker mode (desktop, serve, relay): run every batch that has no live owner, now and as they appear. */
  async start(): Promise<void> {
    this.started = true;
    this.closing = false;
    await this.loadSettings();
    this.ensureTicker();
    await this.adoptOrphans();
  }

  /** Stop claiming, abort runs in flight (they go back to pending), commit, and let go of every lease. */
  async stop(): Promise<void> {
    this.started = false;
    this.closing = true;
    for (const b of this.live.values()) this.release(b, 'shutdown');
    await this.idle();
    await this.writer.drain();
    await this.writer.exclusive(() => releaseLeases(this.sqlite, this.owner));
    this.live.clear();
    this.stopTimers();
  }

  /** Started as a worker (desktop, serve, relay) rather than running single batches for a foreground caller. */
  get workerMode(): boolean {
    return this.started;
  }

  hostStates(): HostState[] {
    return this.gate.states();
  }

  isRunning(batchId: string): boolean {
    return this.live.has(batchId);
  }

  // ---------------------------------------------------------------- creation

  /** Create a batch (see createBatch); it is run here when this executor is started. */
  async create(args: CreateBatchArgs, opts: { runHere?: boolean } = {}): Promise<BatchesTable> {
    const here = opts.runHere ?? this.started;
    const row = await createBatch(this.ctx, args, { leaseOwner: here ? this.owner : null, leaseMs: LEASE_MS });
    if (here) await this.adopt(row.id);
    return row;
  }

  /** For other areas (relay routing rules): run a template on values extracted from a request. */
  async createBatchFromTemplate(args: {
    investigationId: string;
    template: string;
    inputs: TemplateRunInputs;
    name?: string;
    options?: Partial<BatchOptions>;
  }): Promise<BatchesTable> {
    const t = await findTemplate(this.ctx.db, args.template);
    const placeholders = templatePlaceholders(parseJson<TemplateStep[]>(t.steps, []));
    const rows = rowsFromInputs(args.inputs, placeholders);
    return this.create({ investigationId: args.investigationId, template: t.id, name: args.name, options: args.options, source: { kind: 'rows', rows } });
  }

  // ---------------------------------------------------------------- controls

  /** Take the lease of a batch and run it in this process. Returns false when it has nothing left to do. */
  async adopt(batchId: string): Promise<boolean> {
    if (this.live.has(batchId)) return true;
    await this.loadSettings();
    this.closing = false;
    const now = this.ctx.clock.now();
    const row = await this.writer.exclusive(() => takeLease(this.sqlite, this.writer, batchId, this.owner, now));
    if (isFinal(row.status)) {
      this.ctx.bus.emit('batches.changed', { batchId, investigationId: row.investigation_id, kind: 'updated', status: row.status });
      return false;
    }
    const b = newLiveBatch(this.sqlite, row);
    this.live.set(b.id, b);
    this.ctx.bus.emit('batches.changed', { batchId, investigationId: b.investigationId, kind: 'updated', status: b.status });
    this.ensureTicker();
    this.progress.emit(b, true);
    this.pump();
    return true;
  }

  /** Resolves with the summary once the batch reaches a final state (or this process lets go of it). */
  waitFor(batchId: string): Promise<BatchSummary> {
    const b = this.live.get(batchId);
    if (!b) return Promise.resolve(this.summary(batchId));
    return new Promise((resolve) => b.waiters.push(resolve));
  }

  summary(batchId: string): BatchSummary {
    const r = this.sqlite.prepare(`select id, status, total, completed, failed, cancelled from batches where id = ?`).get(batchId) as BatchesTable | undefined;
    if (!r) throw new DossierError('not_found', `batch ${batchId} not found`);
    return summaryOf(r);
  }

  async pause(batchId: string): Promise<void> {
    await this.setStatus(batchId, ['pending', 'running'], 'paused', 'only a pending or running batch can be paused');
    const b = this.live.get(batchId);
    if (b) b.status = 'paused';
  }

  /** Paused → running. Runs it here when this executor is started (or asked to), otherwise whichever executor holds or takes its lease. */
  async resume(batchId: string, opts: { runHere?: boolean } = {}): Promise<void> {
    const r = await this.setStatus(batchId, ['paused', 'running', 'pending'], null, 'a finished batch cannot be resumed; retry its failed operations instead');
    if (r.status === 'paused') await this.setStatus(batchId, ['paused'], 'running', '');
    const b = this.live.get(batchId);
    if (b) {
      b.status = 'running';
      this.pump();
    } else if (opts.runHere ?? this.started) {
      await this.adopt(batchId);
    }
  }

  async cancel(batchId: string): Promise<void> {
    const now = this.ctx.clock.now();
    const b = this.live.get(batchId);
    const row = await this.writer.exclusive((st) => cancelRest(st, this.writer, batchId, now));
    if (b) {
      b.counts = { total: row.total, completed: row.completed, failed: row.failed, cancelled: row.cancelled };
      this.settle(b, row, 'cancelled');
    }
    this.ctx.bus.emit('batches.changed', { batchId, investigationId: row.investigation_id, kind: 'updated', status: 'cancelled' });
  }

  /** Failed operations back to pending with their attempts reset; the batch runs again. */
  async retryFailed(batchId: string, opts: { runHere?: boolean } = {}): Promise<number> {
    const now = this.ctx.clock.now();
    const { n, row } = await this.writer.exclusive(() => resetFailed(this.sqlite, batchId, now));
    if (n === 0) return 0;
    const b = this.live.get(batchId);
    if (b) {
      b.cursor = 0;
      b.exhausted = false;
      b.buffer = [];
      b.bufIdx = 0;
      b.counts.failed -= n;
      this.pump();
    } else if (opts.runHere ?? this.started) {
      await this.adopt(batchId);
    }
    this.ctx.bus.emit('batches.changed', { batchId, investigationId: row.investigation_id, kind: 'updated', status: row.status });
    return n;
  }

  /** Deletes a batch, refused while it runs; `withFinds` also what only it found, in the same transaction (entities/finders.ts). */
  async remove(batchId: string, opts: { withFinds?: boolean } = {}): Promise<OnlyFinds> {
    const b = this.live.get(batchId);
    if (b && (b.inflight.size > 0 || b.awaiting > 0)) throw new DossierError('busy', `batch ${batchId} has operations in flight; cancel or pause it and wait`);
    const now = this.ctx.clock.now();
    const inv = await this.writer.exclusive(() => deleteBatch(this.sqlite, { batchId, owner: this.owner, now, withFinds: opts.withFinds ?? false }));
    if (b) {
      b.stopped = true;
      this.live.delete(batchId);
    }
    this.ctx.bus.emit('batches.changed', { batchId, investigationId: inv.investigationId, kind: 'deleted' });
    if (inv.gone.entities > 0 || inv.gone.links > 0) {
      this.ctx.bus.emit('entities.changed', { investigationId: inv.investigationId, added: 0, removed: inv.gone.entities });
    }
    return inv.gone;
  }

  private async setStatus(batchId: string, from: BatchStatus[], to: BatchStatus | null, refusal: string): Promise<BatchesTable> {
    const now = this.ctx.clock.now();
    const inflight = this.live.get(batchId)?.inflight.size ?? 0;
    const r = await this.writer.exclusive(() => changeStatus(this.sqlite, this.writer, { batchId, from, to, refusal, inflight, now }));
    if (to) this.ctx.bus.emit('batches.changed', { batchId, investigationId: r.investigation_id, kind: 'updated', status: to });
    return r;
  }

  // ---------------------------------------------------------------- scheduling

  private pump(): void {
    if (this.pumping) {
      this.repump = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.repump = false;
        if (this.closing) return;
        const order = [...this.live.values()]
          .filter((b) => b.status === 'running' && !b.stopped)
          .sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt);
        for (const b of order) {
          if (this.running >= this.concurrency || this.uncommitted >= MAX_UNCOMMITTED) break;
          while (this.running < this.concurrency && b.inflight.size < b.options.maxParallel && this.uncommitted < MAX_UNCOMMITTED) {
            const op = this.next(b);
            if (!op) break;
            this.launch(b, op);
          }
        }
      } while (this.repump);
    } finally {
      this.pumping = false;
    }
    this.armWake();
  }

  private next(b: LiveBatch): ClaimedOp | null {
    const now = this.ctx.clock.now();
    if (b.delayed.length && b.delayed[0]!.nextAttemptAt <= now) return b.delayed.shift()!;
    if (b.bufIdx >= b.buffer.length) {
      if (b.exhausted) return null;
      this.refill(b, now);
      if (b.delayed.length && b.delayed[0]!.nextAttemptAt <= now) return b.delayed.shift()!;
      if (b.bufIdx >= b.buffer.length) return null;
    }
    return b.buffer[b.bufIdx++]!;
  }

  private refill(b: LiveBatch, now: number): void {
    b.buffer = [];
    b.bufIdx = 0;
    while (b.buffer.length === 0) {
      const rows = this.claimStmt.all(b.id, b.cursor, PAGE) as ClaimedOp[];
      if (rows.length < PAGE) b.exhausted = true;
      if (rows.length === 0) return;
      b.cursor = rows[rows.length - 1]!.seq;
      for (const op of rows) {
        if (b.claimed.has(op.id)) continue;
        b.claimed.add(op.id);
        if (op.nextAttemptAt > now) insertDelayed(b.delayed, op);
        else b.buffer.push(op);
      }
      if (b.exhausted) return;
    }
  }

  private launch(b: LiveBatch, op: ClaimedOp): void {
    b.claimed.add(op.id);
    this.running++;
    const ctl = b.abort;
    b.inflight.add(op.id);
    const attempt = op.attempts + 1;
    const startedAt = this.ctx.clock.now();
    this.writer.start({ batch: b, op, attempt, startedAt });
    void runOperation(this.ctx, this.gate, b, op, attempt, ctl, (tool) => ({ onTrip: (host, at) => this.writer.trip(host, tool, b.investigationId, at) }))
      .then((outcome) => {
        // The slot is free as soon as the tool returns; the result counts (and a retry is scheduled) only once committed.
        this.running--;
        b.inflight.delete(op.id);
        b.awaiting++;
        this.uncommitted++;
        // stop_on_error: launch nothing more from this batch; the commit fails it and cancels the rest.
        if (outcome.kind === 'failed' && b.options.stopOnError) b.stopped = true;
        const committed = this.writer.finish({ batch: b, op, attempt, startedAt, finishedAt: this.ctx.clock.now(), outcome });
        this.pump();
        return committed.then(() => this.landed(b, op, outcome));
      })
      .catch((e: unknown) => this.ctx.log.error({ err: e, op: op.id }, 'executor: operation bookkeeping failed'));
  }

  /** After the finish is committed: free the slot, keep a retry for later, pump. */
  private landed(b: LiveBatch, op: ClaimedOp, outcome: Outcome): void {
    b.awaiting--;
    this.uncommitted--;
    if ((outcome.kind === 'retry' || outcome.kind === 'refused') && !b.stopped) {
      op.attempts = outcome.kind === 'retry' ? op.attempts + 1 : op.attempts;
      op.nextAttemptAt = outcome.nextAttemptAt;
      insertDelayed(b.delayed, op);
    } else {
      b.claimed.delete(op.id);
    }
    if (b.stopped && b.inflight.size === 0 && b.awaiting === 0) this.drop(b);
    if (this.running === 0 && this.uncommitted === 0) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const f of w) f();
    }
    this.pump();
  }

  private afterCommit(r: CommitReport): void {
    for (const [inv, n] of r.discovered) if (n > 0) this.ctx.bus.emit('entities.changed', { investigationId: inv, added: n, removed: 0 });
    for (const b of r.grew) b.exhausted = false;
    for (const [b, row] of r.batches) {
      b.counts = { total: row.total, completed: row.completed, failed: row.failed, cancelled: row.cancelled };
      if (r.finalized.has(b)) {
        this.settle(b, row, 'stopped');
        this.ctx.bus.emit('batches.changed', { batchId: b.id, investigationId: b.investigationId, kind: 'updated', status: row.status });
      } else {
        this.progress.emit(b, false);
      }
    }
  }

  /** Stop launching for a batch; abort what runs (the reason decides what becomes of those operations). */
  private release(b: LiveBatch, reason: AbortReason): void {
    b.stopped = true;
    b.buffer = [];
    b.bufIdx = 0;
    b.delayed = [];
    // Every control that aborts runs (cancel, stop on error, shutdown) applies to the whole batch: one controller per batch.
    if (b.inflight.size) b.abort.abort(reason);
    if (b.inflight.size === 0 && b.awaiting === 0) this.drop(b);
  }

  private drop(b: LiveBatch): void {
    if (this.live.get(b.id) === b) this.live.delete(b.id);
    this.progress.cancel(b);
    if (b.waiters.length) {
      const s = this.summary(b.id);
      for (const w of b.waiters.splice(0)) w(s);
    }
    if (!this.started && this.live.size === 0) this.stopTimers();
  }

  /** A batch reached a final state: last progress event, then let go (aborting what still runs). */
  private settle(b: LiveBatch, row: BatchRowState, reason: AbortReason): void {
    this.progress.emit(b, true, row.status);
    this.release(b, reason);
  }

  private idle(): Promise<void> {
    if (this.running === 0 && this.uncommitted === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---------------------------------------------------------------- timers, leases, settings

  private armWake(): void {
    let at = Infinity;
    for (const b of this.live.values()) {
      if (b.status === 'running' && !b.stopped && b.delayed.length) at = Math.min(at, b.delayed[0]!.nextAttemptAt);
    }
    if (at === Infinity) return;
    if (this.wake && at >= this.wakeAt) return;
    if (this.wake) clearTimeout(this.wake);
    this.wakeAt = at;
    this.wake = setTimeout(
      () => {
        this.wake = null;
        this.wakeAt = Infinity;
        this.pump();
      },
      Math.max(0, at - this.ctx.clock.now()),
    );
  }

  private ensureTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => void this.tick().catch((e: unknown) => this.ctx.log.error({ err: e }, 'executor tick failed')), TICK_MS);
  }

  private stopTimers(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.wake) clearTimeout(this.wake);
    this.ticker = this.wake = null;
    this.wakeAt = Infinity;
  }

  private async tick(): Promise<void> {
    this.ticks++;
    const now = this.ctx.clock.now();
    if (this.live.size) {
      const ids = [...this.live.keys()];
      const rows = await this.writer.exclusive(() => renewLeases(this.sqlite, this.owner, ids, now));
      const seen = new Set(rows.map((r) => r.id));
      for (const b of [...this.live.values()]) {
        if (!seen.has(b.id)) {
          // Deleted by another process.
          this.release(b, 'cancelled');
          continue;
        }
      }
      for (const r of rows) this.reconcile(r);
    }
    if (this.ticks % 2 === 0) await this.loadSettings();
    if (this.started && this.ticks % 2 === 0) await this.adoptOrphans();
  }

  /** Apply a status change made by another process (CLI pause/cancel while the desktop runs the batch). */
  private reconcile(r: BatchesTable): void {
    const b = this.live.get(r.id);
    if (!b || b.stopped) return;
    if (r.lease_owner !== this.owner && !isFinal(r.status)) {
      this.release(b, 'shutdown'); // someone else took it over
      return;
    }
    if (r.status === 'paused' && b.status === 'running') b.status = 'paused';
    else if (r.status === 'running' && b.status === 'paused') {
      b.status = 'running';
      this.pump();
    } else if (r.status === 'cancelled' || r.status === 'failed' || r.status === 'completed') {
      b.counts = { total: r.total, completed: r.completed, failed: r.failed, cancelled: r.cancelled };
      this.settle(b, { ...r, name: b.name, investigation_id: b.investigationId, error: null } as BatchRowState, 'cancelled');
    }
  }

  private async adoptOrphans(): Promise<void> {
    const now = this.ctx.clock.now();
    for (const r of orphanCandidates(this.sqlite, this.owner)) {
      if (this.live.has(r.id) || !this.started) continue;
      if (heldElsewhere(r.lease_owner, r.lease_until, this.owner, now)) continue;
      try {
        await this.adopt(r.id);
      } catch (e) {
        // busy: another process got there first; not_found: it was deleted (or its creation rolled back) meanwhile.
        if (!(DossierError.is(e) && (e.code === 'busy' || e.code === 'not_found'))) throw e;
      }
    }
    for (const r of pausedElsewhere(this.sqlite, this.owner)) {
      if (heldElsewhere(r.lease_owner, r.lease_until, this.owner, now)) continue;
      await this.writer.exclusive(() => releaseDeadPaused(this.sqlite, r));
    }
  }

  private async loadSettings(): Promise<void> {
    const s = this.ctx.settings;
    this.concurrency = await s.get('executor.concurrency');
    const gs: GateSettings = {
      hostRates: await s.get('executor.hostRates'),
      defaultRate: await s.get('executor.defaultRate'),
      breakerFailures: await s.get('executor.breakerFailures'),
      breakerCooldownMs: await s.get('executor.breakerCooldownMs'),
    };
    this.gate.update(gs);
    this.pump();
  }
}
