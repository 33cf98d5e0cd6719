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
