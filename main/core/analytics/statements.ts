import type SQLite from 'better-sqlite3';

/** Prepared once per distinct SQL text (the families build a few variants by scope). */
export class Statements {
  private readonly cache = new Map<string, SQLite.Statement>();
  constructor(readonly sqlite: SQLite.Database) {}
  get(sql: string): SQLite.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}

/** `and <column> = @inv` when scoped to one investigation. */
export function invFilter(investigationId: string | null, column = 'investigation_id'): string {
  return investigationId === null ? '' : `and ${column} = @inv`;
}

/**
 * The rollup rows of a window beyond 24 h, as a subquery: whole UTC days from
 * `<base>_day`, the edge hours from `<base>_hour` (same sums as reading every
 * hour; a 30-day window reads ~70 buckets per key instead of 720). Parameters
 * from `rollupParams(r)`.
 */
export function rollupRows(base: 'op_stats' | 'op_latency', cols: string, where = ''): string {
  const w = where ? `and ${where}` : '';
  return `(select ${cols} from ${base}_hour where investigation_id = @inv and bucket >= @from and bucket < @dayFrom ${w}
    union all select ${cols} from ${base}_day where investigation_id = @inv and bucket >= @dayFrom and bucket < @dayTo ${w}
    union all select ${cols} from ${base}_hour where investigation_id = @inv and bucket >= @dayTo and bucket <= @to ${w})`;
}
