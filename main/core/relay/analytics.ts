import type SQLite from 'better-sqlite3';
import type { RelayAnalytics, RelayWindow } from '../../../preload/contract/relay.ts';
import { iso } from '../util/time.ts';
import { binUpperMs } from './latency.ts';

const BINS = 401;

/** Percentile from a dense histogram (index = latency bin); null when empty. */
function percentile(hist: Float64Array, total: number, p: number): number | null {
  if (total === 0) return null;
  const target = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    seen += hist[b]!;
    if (seen >= target) return Math.round(binUpperMs(b) * 100) / 100;
  }
  return null;
}

const MIN = 60_000;
const HOUR = 3_600_000;

/** Each window reads the rollup whose grain fits it, in buckets a chart can show. */
export const WINDOWS: Record<RelayWindow, { span: number; bucket: number; table: 'minute' | 'hour' }> = {
  '1h': { span: HOUR, bucket: MIN, table: 'minute' },
  '24h': { span: 24 * HOUR, bucket: 15 * MIN, table: 'minute' },
  '7d': { span: 7 * 24 * HOUR, bucket: HOUR, table: 'hour' },
  '30d': { span: 30 * 24 * HOUR, bucket: 6 * HOUR, table: 'hour' },
};

/** A window's series: `buckets` buckets of `bucket` ms, the last one holding `now`; shared by every analytics family. */
export function windowRange(window: RelayWindow, now: number) {
  const w = WINDOWS[window];
  const last = Math.floor(now / w.bucket) * w.bucket;
  const buckets = Math.round(w.span / w.bucket);
  return { ...w, from: last - (buckets - 1) * w.bucket, buckets };
}

/**
 * Relay analytics from the rollup tables (kept by a trigger on insert), never
 * from the request log: cost depends on the window's buckets, not on traffic.
 */
export class RelayAnalyticsQueries {
  private readonly stmts = new Map<string, SQLite.Statement>();
  constructor(private readonly sqlite: SQLite.Database) {}

  private stmt(key: string, sql: string): SQLite.Statement {
    let s = this.stmts.get(key);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.stmts.set(key, s);
    }
    return s;
  }

  range(window: RelayWindow, now: number) {
    return windowRange(window, now);
  }

  /** Requests per rollup bucket and status code, with latency sums (folded into the window's buckets by the caller). */
  byStatus(window: RelayWindow, now: number, endpointId?: string) {
    const r = this.range(window, now);
    const filter = endpointId === undefined ? '' : 'and endpoint_id = @endpointId';
    return this.stmt(
      `status:${r.table}:${filter}`,
      `select bucket as b, status, sum(count) as n, sum(latency_sum) as l
       from relay_stats_${r.table} where bucket >= @from ${filter} group by bucket, status`,
    ).all({ from: r.from, endpointId }) as { b: number; status: number; n: number; l: number }[];
  }

  /** Latency histogram per rollup bucket (folded into the window's buckets by the caller): [bucket, bin, count]. */
  latency(window: RelayWindow, now: number, endpointId?: string) {
    const r = this.range(window, now);
    const filter = endpointId === undefined ? '' : 'and endpoint_id = @endpointId';
    return this.stmt(
      `latency:${r.table}:${filter}`,
      `select bucket as b, bin, sum(count) as n
       from relay_latency_${r.table} where bucket >= @from ${filter} group by bucket, bin`,
    )
      .raw()
      .all({ from: r.from, endpointId }) as [number, number, number][];
  }

  topErrors(window: RelayWindow, now: number, endpointId?: string, limit = 10) {
    const r = this.range(window, now);
    const filter = endpointId === undefined ? '' : 'and endpoint_id = @endpointId';
    return this.stmt(
      `errors:${r.table}:${filter}`,
      `select error, sum(count) as count from relay_stats_${r.table}
       where bucket >= @from and error != '' ${filter} group by error order by count desc limit @limit`,
    ).all({ from: r.from, endpointId, limit }) as { error: string; count: number }[];
  }

  analytics(window: RelayWindow, now: number, endpointId?: string): RelayAnalytics {
    const r = this.range(window, now);
    const statusRows = this.byStatus(window, now, endpointId);
    const latencyRows = this.latency(window, now, endpointId);
    const errors = this.topErrors(window, now, endpointId);

    const series = Array.from({ length: r.buckets }, (_, i) => ({
      at: r.from + i * r.bucket,
      total: 0,
      ok: 0,
      byStatus: {} as Record<string, number>,
      hist: null as Float64Array | null,
      counted: 0,
    }));
    const index = (b: number) => Math.floor((b - r.from) / r.bucket);
    const statuses = new Set<number>();
    let total = 0;
    let success = 0;
    let latencySum = 0;
    for (const row of statusRows) {
      const s = series[index(row.b)];
      if (!s) continue;
      statuses.add(row.status);
      s.byStatus[row.status] = (s.byStatus[row.status] ?? 0) + row.n;
      s.total += row.n;
      total += row.n;
      latencySum += row.l;
      if (row.status >= 200 && row.status < 300) {
        s.ok += row.n;
        success += row.n;
      }
    }
    // Dense arrays indexed by bin: the 30-day window folds hundreds of thousands of histogram rows.
    const all = new Float64Array(BINS);
    let allCount = 0;
    for (const [b, rawBin, n] of latencyRows) {
      const s = series[Math.floor((b - r.from) / r.bucket)];
      if (!s) continue;
      const bin = Math.min(BINS - 1, rawBin);
      const hist = (s.hist ??= new Float64Array(BINS));
      hist[bin] = hist[bin]! + n;
      s.counted += n;
      all[bin] = all[bin]! + n;
      allCount += n;
    }
    const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
    return {
      window,
      from: iso(r.from),
      to: iso(now),
      bucketMs: r.bucket,
      statuses: [...statuses].sort((a, b) => a - b),
      series: series.map((s) => ({
        at: iso(s.at),
        total: s.total,
        byStatus: s.byStatus,
        successRate: rate(s.ok, s.total),
        p50Ms: s.hist ? percentile(s.hist, s.counted, 50) : null,
        p95Ms: s.hist ? percentile(s.hist, s.counted, 95) : null,
      })),
      totals: {
        total,
        success,
        errors: total - success,
        successRate: rate(success, total),
        errorRate: rate(total - success, total),
        avgLatencyMs: total === 0 ? null : Math.round((latencySum / total) * 100) / 100,
        p50LatencyMs: percentile(all, allCount, 50),
        p95LatencyMs: percentile(all, allCount, 95),
      },
      topErrors: errors.map((e) => ({ error: e.error, count: e.count })),
    };
  }
}
