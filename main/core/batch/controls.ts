import { setMaxListeners } from 'node:events';
import type SQLite from 'better-sqlite3';
import type { BatchOptions, BatchStatus } from '../../../preload/contract/batches.ts';
import { FINAL_BATCH_STATUSES } from '../../../preload/contract/batches.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { deleteOnlyFoundBy, type OnlyFinds } from '../entities/finders.ts';
import { heldElsewhere } from '../util/lease.ts';
import { parseJson } from '../util/json.ts';
import { batchEventData, type BatchRowState, type CommitWriter, type Statements } from './commit.ts';
import { LEASE_MS } from './lease.ts';
import type { BatchPlan, LiveBatch } from './live.ts';
import type { BatchesTable } from './tables.ts';

/*
 * The database half of every batch control (adopt, pause/resume, cancel, retry, delete, lease upkeep).
 * Each function is the synchronous body the executor runs inside `CommitWriter.exclusive`, so a control
 * never interleaves with a group commit; what the process itself runs (the live batches, the pump) stays in
 * executor.ts, which calls these and then updates its memory.
 */

export function isFinal(status: BatchStatus): boolean {
  return (FINAL_BATCH_STATUSES as string[]).includes(status);
}

/**
 * Takes the lease of a batch for `owner`: runs a dead process left `running` go back to pending, a pending
 * batch becomes running (batch.started), and one whose operations all finished before a crash is finalized.
 * Returns the row as it now is (a final status means there is nothing to run).
 */
export function takeLease(sqlite: SQLite.Database, writer: CommitWriter, batchId: string, owner: string, now: number): BatchesTable {
  const r = sqlite.prepare(`select * from batches where id = ?`).get(batchId) as BatchesTable | undefined;
  if (!r) throw new DossierError('not_found', `batch ${batchId} not found`);
  if (isFinal(r.status)) return r;
  if (heldElsewhere(r.lease_owner, r.lease_until, owner, now)) {
    throw new DossierError('busy', `batch ${batchId} is being run by another process (${r.lease_owner!.split('|').slice(0, 2).join(' pid ')})`);
  }
  // Operations a dead process left running go back to pending: they were never counted.
  sqlite.prepare(`update operations set status = 'pending' where batch_id = ? and status = 'running'`).run(batchId);
  const status: BatchStatus = r.status === 'pending' ? 'running' : r.status;
  sqlite
    .prepare(`update batches set lease_owner = ?, lease_until = ?, status = ?, started_at = coalesce(started_at, ?), updated_at = ? where id = ?`)
    .run(owner, now + LEASE_MS, status, now, now, batchId);
  if (r.status === 'pending') writer.outbox('batch.started', { batch: batchEventData(batchId, { ...r, status }) }, r.investigation_id, now);
  // A batch whose operations all finished before a crash could not be finalized by the dead process.
  if (r.completed + r.failed + r.cancelled >= r.total) {
    const final = r.completed === 0 && r.failed > 0 ? 'failed' : 'completed';
    writer.finalize({ id: r.id, investigationId: r.investigation_id }, final, final === 'failed' ? 'no operation succeeded' : null, now);
    return { ...r, status: final } as BatchesTable;
  }
  return { ...r, status };
}

/** The in-memory state of a batch just adopted; only a page of its operations is ever loaded (executor.refill). */
export function newLiveBatch(sqlite: SQLite.Database, row: BatchesTable): LiveBatch {
  const maxSeq = (sqlite.prepare(`select max(seq) as m from operations where batch_id = ?`).get(row.id) as { m: number | null }).m ?? 0;
  return {
    id: row.id,
    investigationId: row.investigation_id,
    name: row.name,
    status: row.status === 'paused' ? 'paused' : 'running',
    options: parseJson<BatchOptions>(row.options, {} as BatchOptions),
    plan: parseJson<BatchPlan>(row.plan, { followUps: [] }),
    priority: row.priority,
    createdAt: row.created_at,
    cursor: 0,
    exhausted: false,
    buffer: [],
    bufIdx: 0,
    delayed: [],
    claimed: new Set(),
    inflight: new Set(),
    abort: batchAbortController(),
    awaiting: 0,
    toolCtx: new Map(),
    nextSeq: maxSeq,
    counts: { total: row.total, completed: row.completed, failed: row.failed, cancelled: row.cancelled },
    stopped: false,
    progress: { lastEmit: 0, timer: null, samples: [] },
    waiters: [],
    paramsCache: new Map(),
  };
}

function batchAbortController(): AbortController {
  const c = new AbortController();
  // Up to 50 runs (and their HTTP requests) listen on it at once; Node would warn past 10.
  setMaxListeners(0, c.signal);
  return c;
}

/**
 * Moves a batch from one of `from` to `to` (null: only check it is in `from`), sampling the queue-depth series
 * (a paused batch has nothing queued from now; a resumed one has its rest again).
 */
export function changeStatus(
  sqlite: SQLite.Database,
  writer: CommitWriter,
  args: { batchId: string; from: BatchStatus[]; to: BatchStatus | null; refusal: string; inflight: number; now: number },
): BatchesTable {
  const { batchId, from, to, now } = args;
  const row = sqlite.prepare(`select * from batches where id = ?`).get(batchId) as BatchesTable | undefined;
  if (!row) throw new DossierError('not_found', `batch ${batchId} not found`);
  if (!from.includes(row.status)) throw new DossierError('conflict', `${args.refusal} (batch is ${row.status})`);
  if (to && to !== row.status) {
    sqlite.prepare(`update batches set status = ?, updated_at = ? where id = ?`).run(to, now, batchId);
    writer.sampleQueue({ id: batchId, investigationId: row.investigation_id }, { ...row, status: to }, args.inflight, now);
  }
  return { ...row, status: to ?? row.status };
}

/** Cancels every operation not yet finished and finalizes the batch as cancelled; returns its counters after. */
export function cancelRest(st: Statements, writer: CommitWriter, batchId: string, now: number): BatchRowState {
  const r = st.read.get(batchId) as BatchRowState | undefined;
  if (!r) throw new DossierError('not_found', `batch ${batchId} not found`);
  if (isFinal(r.status)) throw new DossierError('conflict', `batch ${batchId} is already ${r.status}`);
  const n = st.cancelRest.run(now, 'cancelled by the user', batchId).changes;
  st.addCancelled.run(n, now, batchId);
  writer.finalize({ id: batchId, investigationId: r.investigation_id }, 'cancelled', null, now);
  const after = st.read.get(batchId) as BatchRowState;
  writer.sampleQueue({ id: batchId, investigationId: r.investigation_id }, after, 0, now);
  return after;
}

/** Failed operations back to pending with their attempts reset; the batch runs again (or stays paused). */
export function resetFailed(sqlite: SQLite.Database, batchId: string, now: number): { n: number; row: BatchesTable } {
  const r = sqlite.prepare(`select * from batches where id = ?`).get(batchId) as BatchesTable | undefined;
  if (!r) throw new DossierError('not_found', `batch ${batchId} not found`);
  const changed = sqlite
    .prepare(
      `update operations set status = 'pending', attempts = 0, next_attempt_at = 0, started_at = null, finished_at = null, duration_ms = null, error = null, error_kind = null
       where batch_id = ? and status = 'failed'`,
    )
    .run(batchId).changes;
  if (changed === 0) return { n: 0, row: r };
  const status: BatchStatus = r.status === 'paused' ? 'paused' : 'running';
  sqlite
    .prepare(`update batches set failed = failed - ?, status = ?, finished_at = null, error = null, updated_at = ? where id = ?`)
    .run(changed, status, now, batchId);
  return { n: changed, row: { ...r, status } };
}

/** Deletes a batch (refused while it runs here or elsewhere); `withFinds` also what only it found (entities/finders.ts). */
export function deleteBatch(
  sqlite: SQLite.Database,
  args: { batchId: string; owner: string; now: number; withFinds: boolean },
): { investigationId: string; gone: OnlyFinds } {
  const { batchId } = args;
  const r = sqlite.prepare(`select status, investigation_id, lease_owner, lease_until from batches where id = ?`).get(batchId) as BatchesTable | undefined;
  if (!r) throw new DossierError('not_found', `batch ${batchId} not found`);
  if (r.status === 'running') throw new DossierError('busy', `batch ${batchId} is running; pause or cancel it first`);
  if (heldElsewhere(r.lease_owner, r.lease_until, args.owner, args.now)) throw new DossierError('busy', `batch ${batchId} is held by another process`);
  const gone = args.withFinds ? deleteOnlyFoundBy(sqlite, batchId) : { entities: 0, links: 0 };
  sqlite.prepare(`delete from batches where id = ?`).run(batchId);
  return { investigationId: r.investigation_id, gone };
}

/** Renews the leases `owner` holds and reads back the batches it runs, to reconcile with other processes' controls. */
export function renewLeases(sqlite: SQLite.Database, owner: string, ids: string[], now: number): BatchesTable[] {
  sqlite.prepare(`update batches set lease_until = ? where lease_owner = ?`).run(now + LEASE_MS, owner);
  return sqlite
    .prepare(`select id, status, lease_owner, total, completed, failed, cancelled from batches where id in (${ids.map(() => '?').join(',')})`)
    .all(...ids) as BatchesTable[];
}

/** Lets go of every lease `owner` holds (shutdown). */
export function releaseLeases(sqlite: SQLite.Database, owner: string): void {
  sqlite.prepare(`update batches set lease_owner = null, lease_until = null where lease_owner = ?`).run(owner);
}

type LeaseRow = Pick<BatchesTable, 'id' | 'lease_owner' | 'lease_until'>;

/** Visible pending or running batches another (or no) process holds, by priority then age: candidates to adopt. */
export function orphanCandidates(sqlite: SQLite.Database, owner: string): LeaseRow[] {
  return sqlite
    .prepare(
      `select id, lease_owner, lease_until from batches where status in ('pending','running') and staged_by is null and (lease_owner is null or lease_owner != ?)
       order by priority desc, created_at`,
    )
    .all(owner) as LeaseRow[];
}

/** Paused batches held by another process (maybe a dead one). */
export function pausedElsewhere(sqlite: SQLite.Database, owner: string): LeaseRow[] {
  return sqlite
    .prepare(`select id, lease_owner, lease_until from batches where status = 'paused' and lease_owner is not null and lease_owner != ?`)
    .all(owner) as LeaseRow[];
}

/** A paused batch of a process that died keeps no runs: they go back to pending so its counts read right. */
export function releaseDeadPaused(sqlite: SQLite.Database, r: LeaseRow): void {
  sqlite.prepare(`update operations set status = 'pending' where batch_id = ? and status = 'running'`).run(r.id);
  sqlite.prepare(`update batches set lease_owner = null, lease_until = null where id = ? and lease_owner = ?`).run(r.id, r.lease_owner);
}
