import type { BatchAnalytics } from '../../../preload/contract/analytics.ts';
import { iso } from '../util/time.ts';
import { invFilter, type Statements } from './statements.ts';
import { bucketTimes, rate, windowInfo, type Range } from './window.ts';

const ETA_SPAN_MS = 10 * 60_000;

/** Batches: throughput, success rate, queue depth over time, ETA of running batches. */
export class BatchQueries {
  constructor(private readonly st: Statements) {}

  /** Operations finished per bucket: from the runs when exact, from the hourly rollups beyond 24 h. */
  throughput(r: Range): { completed: number[]; failed: number[]; retried: number[] } {
    const out = {
      completed: new Array<number>(r.buckets).fill(0),
      failed: new Array<number>(r.buckets).fill(0),
      retried: new Array<number>(r.buckets).fill(0),
    };
    const rows = r.exact
      ? (this.st
          .get(
            `select cast((finished_at - @from) / @bucket as integer) as i, outcome as o, count(*) as n from op_runs
             where finished_at >= @from and finished_at <= @to and outcome != 'refused' ${invFilter(r.investigationId)} group by i, o`,
          )
          .all({ from: r.from, to: r.to, bucket: r.bucket, inv: r.investigationId ?? undefined }) as { i: number; o: string; n: number }[])
      : (this.st
          .get(
            `select cast((bucket - @from) / @bucket as integer) as i, outcome as o, sum(count) as n from op_stats_hour
             where investigation_id = @inv and bucket >= @from and bucket <= @to and outcome != 'refused' group by i, o`,
          )
          .all({ from: r.from, to: r.to, bucket: r.bucket, inv: r.inv }) as { i: number; o: string; n: number }[]);
    for (const row of rows) {
      const i = Math.min(r.buckets - 1, Math.floor(row.i));
      if (i < 0) continue;
      if (row.o === 'completed') out.completed[i]! += row.n;
      else if (row.o === 'failed') out.failed[i]! += row.n;
      else if (row.o === 'retry') out.retried[i]! += row.n;
    }
    return out;
  }

  /**
   * Queue depth at the end of each bucket: per batch the last sample the
   * executor committed before that instant (carried forward), and zero once
   * the batch's finished_at has passed (a cancel writes no sample).
   */
  queue(r: Range): { pending: number[]; running: number[] } {
    const pending = new Array<number>(r.buckets).fill(0);
    const running = new Array<number>(r.buckets).fill(0);
    const batches = this.st
      .get(
        `select id, finished_at as f from batches where staged_by is null and created_at <= @to and (finished_at is null or finished_at >= @from) ${invFilter(r.investigationId)}`,
      )
      .all({ from: r.from, to: r.to, inv: r.investigationId ?? undefined }) as { id: string; f: number | null }[];
    if (batches.length === 0) return { pending, running };
    const before = this.st.get(`select at, pending as p, running as q from queue_samples where batch_id = ? and bucket < ? order by bucket desc limit 1`);
    // Per batch along its primary key, the last sample of each chart bucket: no sort of the window's samples.
    const perBucket = this.st
      .get(
        `select cast((bucket - @from) / @bucket as integer) as i, max(at) as at, pending as p, running as q from queue_samples
         where batch_id = @batch and bucket >= @from and bucket <= @to group by i`,
      )
      .raw();
    const ends = bucketTimes(r).map((t) => Math.min(t + r.bucket, r.to + 1));
    for (const b of batches) {
      const last = new Array<[number, number] | undefined>(r.buckets);
      for (const [i, , p, q] of perBucket.all({ batch: b.id, from: r.from, to: r.to, bucket: r.bucket }) as [number, number, number, number][])
        last[Math.min(r.buckets - 1, i)] = [p, q];
      const prev = before.get(b.id, r.from) as { p: number; q: number } | undefined;
      let cur: [number, number] | undefined = prev ? [prev.p, prev.q] : undefined;
      for (let i = 0; i < r.buckets; i++) {
        cur = last[i] ?? cur;
        if (!cur) continue;
        if (b.f !== null && b.f < ends[i]!) break;
        pending[i]! += cur[0];
        running[i]! += cur[1];
      }
    }
    return { pending, running };
  }

  running(r: Range, now: number): BatchAnalytics['running'] {
    const rows = this.st
      .get(
        `select id, name, investigation_id as inv, total, completed + failed + cancelled as done, coalesce(started_at, created_at) as started
         from batches where status = 'running' and staged_by is null ${invFilter(r.investigationId)} order by created_at`,
      )
      .all({ inv: r.investigationId ?? undefined }) as { id: string; name: string; inv: string; total: number; done: number; started: number }[];
    const finishedSince = this.st.get(`select count(*) from op_runs where batch_id = ? and finished_at > ? and outcome in ('completed','failed')`).pluck();
    return rows.map((b) => {
      const span = Math.max(1, Math.min(ETA_SPAN_MS, now - b.started));
      const n = finishedSince.get(b.id, now - span) as number;
      const perMinute = (n / span) * 60_000;
      const remaining = Math.max(0, b.total - b.done);
      return {
        id: b.id,
        name: b.name,
        investigationId: b.inv,
        total: b.total,
        done: b.done,
        perMinute: Math.round(perMinute * 100) / 100,
        etaSeconds: remaining === 0 ? 0 : perMinute > 0 ? Math.round((remaining / perMinute) * 60) : null,
      };
    });
  }

  analytics(r: Range, now: number): BatchAnalytics {
    const t = this.throughput(r);
    const q = this.queue(r);
    const times = bucketTimes(r);
    const completed = t.completed.reduce((a, b) => a + b, 0);
    const failed = t.failed.reduce((a, b) => a + b, 0);
    const retried = t.retried.reduce((a, b) => a + b, 0);
    return {
      ...windowInfo(r),
      totals: { completed, failed, retried, successRate: rate(completed, completed + failed) },
      throughput: times.map((at, i) => ({ at: iso(at), completed: t.completed[i]!, failed: t.failed[i]! })),
      queue: times.map((at, i) => ({ at: iso(at), pending: q.pending[i]!, running: q.running[i]! })),
      running: this.running(r, now),
    };
  }
}
