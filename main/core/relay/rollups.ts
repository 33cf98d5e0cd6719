import type SQLite from 'better-sqlite3';

/**
 * The analytics rollups (P5): requests and latency histograms per minute and
 * per hour, by endpoint and status, and verification outcomes. The log writer adds each committed batch
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
  verification: string;
}

interface StatsAcc {
  table: 'minute' | 'hour';
  bucket: number;
  status: number;
  code: string;
  endpointId: string;
  count: number;
  latencySum: number;
}
interface VerificationAcc {
  table: 'minute' | 'hour';
  bucket: number;
  verification: string;
  endpointId: string;
  count: number;
}
interface HistAcc {
  table: 'minute' | 'hour';
  bucket: number;
  bin: number;
  endpointId: string;
  count: number;
}

/** Accumulates one transaction's requests, then writes one upsert per distinct rollup key. */
export class RollupBatch {
  private readonly stats = new Map<string, StatsAcc>();
  private readonly hist = new Map<string, HistAcc>();
  private readonly ver = new Map<string, VerificationAcc>();

  add(r: RollupRow): void {
    const endpointId = r.endpointId ?? '';
    const code = errorCode(r.error);
    for (const { table, size } of GRAINS) {
      const bucket = r.receivedAt - (r.receivedAt % size);
      const sk = `${table}|${bucket}|${r.status}|${code}|${endpointId}`;
      const s = this.stats.get(sk);
      if (s) {
        s.count += 1;
        s.latencySum += r.latencyMs;
      } else this.stats.set(sk, { table, bucket, status: r.status, code, endpointId, count: 1, latencySum: r.latencyMs });
      const hk = `${table}|${bucket}|${r.latencyBin}|${endpointId}`;
      const h = this.hist.get(hk);
      if (h) h.count += 1;
      else this.hist.set(hk, { table, bucket, bin: r.latencyBin, endpointId, count: 1 });
      const vk = `${table}|${bucket}|${r.verification}|${endpointId}`;
      const v = this.ver.get(vk);
      if (v) v.count += 1;
      else this.ver.set(vk, { table, bucket, verification: r.verification, endpointId, count: 1 });
    }
  }

  apply(stmts: RollupStatements): void {
    for (const s of this.stats.values()) stmts.stats[s.table].run(s.bucket, s.status, s.code, s.endpointId, s.count, s.latencySum);
    for (const h of this.hist.values()) stmts.hist[h.table].run(h.bucket, h.bin, h.endpointId, h.count);
    for (const v of this.ver.values()) stmts.verification[v.table].run(v.bucket, v.verification, v.endpointId, v.count);
    this.stats.clear();
    this.hist.clear();
    this.ver.clear();
  }
}

export interface RollupStatements {
  stats: Record<'minute' | 'hour', SQLite.Statement>;
  hist: Record<'minute' | 'hour', SQLite.Statement>;
  /** Verification outcomes (table of migration 009). */
  verification: Record<'minute' | 'hour', SQLite.Statement>;
}

export function prepareRollups(sqlite: SQLite.Database): RollupStatements {
  const stats = (t: string) =>
    sqlite.prepare(`insert into relay_stats_${t} (bucket, status, error, endpoint_id, count, latency_sum) values (?, ?, ?, ?, ?, ?)
      on conflict (bucket, status, error, endpoint_id) do update set count = count + excluded.count, latency_sum = latency_sum + excluded.latency_sum`);
  const hist = (t: string) =>
    sqlite.prepare(`insert into relay_latency_${t} (bucket, bin, endpoint_id, count) values (?, ?, ?, ?)
      on conflict (bucket, bin, endpoint_id) do update set count = count + excluded.count`);
  const ver = (t: string) =>
    sqlite.prepare(`insert into relay_verification_${t} (bucket, verification, endpoint_id, count) values (?, ?, ?, ?)
      on conflict (bucket, verification, endpoint_id) do update set count = count + excluded.count`);
  return {
    stats: { minute: stats('minute'), hour: stats('hour') },
    hist: { minute: hist('minute'), hour: hist('hour') },
    verification: { minute: ver('minute'), hour: ver('hour') },
  };
}

/** Add the rollups of logged requests with id >= fromId (all by default), computed in SQL. */
export function rebuildRollups(sqlite: SQLite.Database, fromId = 0): void {
  sqlite.transaction(() => {
    for (const g of GRAINS) {
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
      sqlite
        .prepare(
          `insert into relay_verification_${g.table} (bucket, verification, endpoint_id, count)
           select received_at / ${g.size} * ${g.size}, verification, coalesce(endpoint_id, ''), count(*)
           from relay_requests where id >= ? group by 1, 2, 3
           on conflict (bucket, verification, endpoint_id) do update set count = count + excluded.count`,
        )
        .run(fromId);
    }
  })();
}
