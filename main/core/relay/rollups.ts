import type SQLite from 'better-sqlite3';

/**
 * The analytics rollups (P5): requests and latency histograms per minute and
 * per hour, by endpoint and status. The log writer adds each committed batch
 * in the same transaction (one upsert per distinct key, not per request: P4);
 * rebuildRollups() computes the same from the log in SQL, for data written
 * around the writer (benchmarks, repairs). Both follow the rules below.
 */
export const GRAINS = [
  { table: 'minute', size: 60_000 },
  { table: 'hour', size: 3_600_000 },
] as const;

/** The error code is the text before the first ':' of relay_requests.error ('' when none). */
export function errorCode(error: string | null): string {
  if (!error) return '';
  const i = error.indexOf(':');
  return i < 0 ? error : error.slice(0, i);
}
const ERROR_CODE_SQL = `coalesce(substr(error, 1, instr(error || ':', ':') - 1), '')`;

export interface RollupRow {
  receivedAt: number;
  endpointId: string | null;
  status: number;
  error: string | null;
  latencyMs: number;
  latencyBin: number;
}

/** Per-transaction accumulator. */
export class RollupBatch {
  private readonly stats = new Map<string, [number, string, number, string, number, number]>();
  private readonly hist = new Map<string, [number, string, number, string, number]>();

  add(r: RollupRow): void {
    const ep = r.endpointId ?? '';
    const code = errorCode(r.error);
    for (const g of GRAINS) {
      const bucket = r.receivedAt - (r.receivedAt % g.size);
      const sk = `${g.table}|${bucket}|${r.status}|${code}|${ep}`;
      const s = this.stats.get(sk);
      if (s) {
        s[4] += 1;
        s[5] += r.latencyMs;
      } else this.stats.set(sk, [bucket, g.table, r.status, code, 1, r.latencyMs]);
      const hk = `${g.table}|${bucket}|${r.latencyBin}|${ep}`;
      const h = this.hist.get(hk);
      if (h) h[4] += 1;
      else this.hist.set(hk, [bucket, g.table, r.latencyBin, ep, 1]);
      // endpoint id travels in the key; keep it beside the stats entry too
      if (!s) this.statsEndpoint.set(sk, ep);
    }
  }
  private readonly statsEndpoint = new Map<string, string>();

  apply(stmts: RollupStatements): void {
    for (const [k, [bucket, table, status, code, n, lat]] of this.stats) {
      stmts.stats[table as 'minute'].run(bucket, status, code, this.statsEndpoint.get(k)!, n, lat);
    }
    for (const [bucket, table, bin, ep, n] of this.hist.values()) stmts.hist[table as 'minute'].run(bucket, bin, ep, n);
    this.stats.clear();
    this.hist.clear();
    this.statsEndpoint.clear();
  }
}

export interface RollupStatements {
  stats: Record<'minute' | 'hour', SQLite.Statement>;
  hist: Record<'minute' | 'hour', SQLite.Statement>;
}

export function prepareRollups(sqlite: SQLite.Database): RollupStatements {
  const stats = (t: string) =>
    sqlite.prepare(`insert into relay_stats_${t} (bucket, status, error, endpoint_id, count, latency_sum) values (?, ?, ?, ?, ?, ?)
      on conflict (bucket, status, error, endpoint_id) do update set count = count + excluded.count, latency_sum = latency_sum + excluded.latency_sum`);
  const hist = (t: string) =>
    sqlite.prepare(`insert into relay_latency_${t} (bucket, bin, endpoint_id, count) values (?, ?, ?, ?)
      on conflict (bucket, bin, endpoint_id) do update set count = count + excluded.count`);
  return { stats: { minute: stats('minute'), hour: stats('hour') }, hist: { minute: hist('minute'), hour: hist('hour') } };
}

/** Add the rollups of logged requests with id >= fromId (all by default), computed in SQL. */
export function rebuildRollups(sqlite: SQLite.Database, fromId = 0): void {
  sqlite.transaction(() => {
    for (const g of GRAINS) {
      // "where true" lets SQLite parse the upsert after a SELECT.
      sqlite
        .prepare(
          `insert into relay_stats_${g.table} (bucket, status, error, endpoint_id, count, latency_sum)
           select received_at / ${g.size} * ${g.size}, status, ${ERROR_CODE_SQL}, coalesce(endpoint_id, ''), count(*), sum(latency_ms)
           from relay_requests where id >= ? group by 1, 2, 3, 4
           on conflict (bucket, status, error, endpoint_id) do update set count = count + excluded.count, latency_sum = latency_sum + excluded.latency_sum`,
        )
        .run(fromId);
      sqlite
        .prepare(
          `insert into relay_latency_${g.table} (bucket, bin, endpoint_id, count)
           select received_at / ${g.size} * ${g.size}, latency_bin, coalesce(endpoint_id, ''), count(*)
           from relay_requests where id >= ? group by 1, 2, 3
           on conflict (bucket, bin, endpoint_id) do update set count = count + excluded.count`,
        )
        .run(fromId);
    }
  })();
}
