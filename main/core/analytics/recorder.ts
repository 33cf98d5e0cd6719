import type SQLite from 'better-sqlite3';
import { latencyBin } from '../relay/latency.ts';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** The rollup row that sums over every investigation. */
export const ALL = '*';

export interface RunRecord {
  at: number;
  investigationId: string;
  batchId: string;
  tool: string;
  outcome: 'completed' | 'failed' | 'retry' | 'refused';
  code: string;
  durationMs: number;
}

interface StatsAcc {
  inv: string;
  bucket: number;
  tool: string;
  outcome: string;
  code: string;
  count: number;
  sum: number;
}
interface HistAcc {
  inv: string;
  bucket: number;
  tool: string;
  bin: number;
  count: number;
}

/**
 * What one executor group commit adds to the analytics, written inside that
 * commit's transaction (never a transaction of its own): a row per finished
 * attempt (the exact source), one upsert per distinct rollup key and grain
 * (hour and day; not per run), the queue depth of each batch it touched, and
 * breaker trips.
 */
export class OpRecorder {
  private runs: RunRecord[] = [];
  private readonly stats = new Map<string, StatsAcc>();
  private readonly hist = new Map<string, HistAcc>();
  private readonly queue = new Map<string, [string, string, number, number, number, number]>();
  private trips: [number, string, string, string][] = [];
  private readonly st: ReturnType<typeof prepare>;

  constructor(sqlite: SQLite.Database) {
    this.st = prepare(sqlite);
  }

  /** Forget anything buffered by a transaction attempt that did not commit. */
  reset(): void {
    this.runs = [];
    this.stats.clear();
    this.hist.clear();
    this.queue.clear();
    this.trips = [];
  }

  run(r: RunRecord): void {
    this.runs.push(r);
    const bucket = r.at - (r.at % HOUR);
    const bin = r.outcome === 'refused' ? -1 : latencyBin(r.durationMs);
    for (const inv of [r.investigationId, ALL]) {
      const sk = `${inv}|${bucket}|${r.tool}|${r.outcome}|${r.code}`;
      const s = this.stats.get(sk);
      if (s) {
        s.count++;
        s.sum += r.durationMs;
      } else this.stats.set(sk, { inv, bucket, tool: r.tool, outcome: r.outcome, code: r.code, count: 1, sum: r.durationMs });
      // A refused run never ran: it has no latency.
      if (bin < 0) continue;
      const hk = `${inv}|${bucket}|${r.tool}|${bin}`;
      const h = this.hist.get(hk);
      if (h) h.count++;
      else this.hist.set(hk, { inv, bucket, tool: r.tool, bin, count: 1 });
    }
  }

  /** Queue depth of a batch as of this commit; the last sample of a minute wins. */
  sample(batchId: string, investigationId: string, at: number, pending: number, running: number): void {
    this.queue.set(batchId, [batchId, investigationId, at - (at % MINUTE), at, Math.max(0, pending), Math.max(0, running)]);
  }

  /** A queue sample written at once, in the caller's transaction (control changes: pause, resume, cancel). */
  writeSample(batchId: string, investigationId: string, at: number, pending: number, running: number): void {
    this.st.queue.run(batchId, at - (at % MINUTE), investigationId, at, Math.max(0, pending), Math.max(0, running));
  }

  trip(at: number, host: string, tool: string, investigationId: string): void {
    this.trips.push([at, host, tool, investigationId]);
  }

  /** Write everything buffered; call inside the commit's transaction. */
  flush(): void {
    const st = this.st;
    for (const r of this.runs) st.run.run(r.at, r.investigationId, r.batchId, r.tool, r.outcome, r.code, r.durationMs);
    for (const s of this.stats.values()) st.stats.run(s.inv, s.bucket, s.tool, s.outcome, s.code, s.count, s.sum);
    for (const h of this.hist.values()) st.hist.run(h.inv, h.bucket, h.tool, h.bin, h.count);
    // The daily grain: hourly keys of one commit almost always share a day, so this is as many upserts again.
    for (const s of fold(this.stats.values(), (s) => `${s.inv}|${day(s.bucket)}|${s.tool}|${s.outcome}|${s.code}`)) st.statsDay.run(s.inv, day(s.bucket), s.tool, s.outcome, s.code, s.count, s.sum);
    for (const h of fold(this.hist.values(), (h) => `${h.inv}|${day(h.bucket)}|${h.tool}|${h.bin}`)) st.histDay.run(h.inv, day(h.bucket), h.tool, h.bin, h.count);
    for (const [batch, inv, bucket, at, pending, running] of this.queue.values()) st.queue.run(batch, bucket, inv, at, pending, running);
    for (const t of this.trips) st.trip.run(...t);
    this.reset();
  }
}

const day = (t: number) => t - (t % DAY);

/**
 * [pending, running] of a batch for the queue-depth series: a finished batch
 * holds nothing; a paused one has nothing queued (its runs still in flight
 * count as running until they finish); otherwise what is left minus what runs.
 */
export function queueDepth(status: string, remaining: number, inflight: number): [number, number] {
  if (status !== 'running' && status !== 'paused' && status !== 'pending') return [0, 0];
  if (status === 'paused') return [0, inflight];
  return [Math.max(0, remaining - inflight), inflight];
}

/** Sum accumulators that share a coarser key (count and sum; the first row's other fields stand for the group). */
function fold<T extends { count: number; sum?: number }>(rows: Iterable<T>, key: (r: T) => string): Iterable<T> {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const o = out.get(k);
    if (!o) out.set(k, { ...r });
    else {
      o.count += r.count;
      if (o.sum !== undefined) o.sum += r.sum ?? 0;
    }
  }
  return out.values();
}

function prepare(db: SQLite.Database) {
  return {
    run: db.prepare(`insert into op_runs (finished_at, investigation_id, batch_id, tool, outcome, code, duration_ms) values (?, ?, ?, ?, ?, ?, ?)`),
    stats: db.prepare(`insert into op_stats_hour (investigation_id, bucket, tool, outcome, code, count, duration_sum) values (?, ?, ?, ?, ?, ?, ?)
      on conflict (investigation_id, bucket, tool, outcome, code) do update set count = count + excluded.count, duration_sum = duration_sum + excluded.duration_sum`),
    hist: db.prepare(`insert into op_latency_hour (investigation_id, bucket, tool, bin, count) values (?, ?, ?, ?, ?)
      on conflict (investigation_id, bucket, tool, bin) do update set count = count + excluded.count`),
    statsDay: db.prepare(`insert into op_stats_day (investigation_id, bucket, tool, outcome, code, count, duration_sum) values (?, ?, ?, ?, ?, ?, ?)
      on conflict (investigation_id, bucket, tool, outcome, code) do update set count = count + excluded.count, duration_sum = duration_sum + excluded.duration_sum`),
    histDay: db.prepare(`insert into op_latency_day (investigation_id, bucket, tool, bin, count) values (?, ?, ?, ?, ?)
      on conflict (investigation_id, bucket, tool, bin) do update set count = count + excluded.count`),
    queue: db.prepare(`insert into queue_samples (batch_id, bucket, investigation_id, at, pending, running) values (?, ?, ?, ?, ?, ?)
      on conflict (batch_id, bucket) do update set at = excluded.at, pending = excluded.pending, running = excluded.running`),
    trip: db.prepare(`insert into breaker_trips (at, host, tool, investigation_id) values (?, ?, ?, ?)`),
  };
}
