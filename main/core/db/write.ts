import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

/**
 * The one write path to the core's SQLite connection (SPEC §1).
 *
 * better-sqlite3 is a single connection shared by every module. A plain
 * `sqlite.transaction(fn)()` run while somebody's Kysely transaction is open
 * (Kysely awaits between statements, so other code runs meanwhile) does not
 * start a transaction: it becomes a savepoint inside the other one and is
 * rolled back with it. So every synchronous writer goes through `writeTx`:
 * with no transaction open it commits at once (BEGIN IMMEDIATE, so a
 * compare-and-set against another process on the same file is decided by
 * SQLite's write lock); with one open it waits for Kysely's connection, which
 * is free only once that transaction has ended.
 *
 * The rule that makes this enough: no transaction is held across file or
 * network I/O (batch imports stage per chunk: `batch/create.ts`), so the wait
 * is short.
 */
export interface WriteTarget {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
}

export async function writeTx<T>(ctx: WriteTarget, body: () => T): Promise<T> {
  if (!ctx.sqlite.inTransaction) return ctx.sqlite.transaction(body).immediate();
  return ctx.db.transaction().execute(async () => body());
}

/**
 * `writeTx` for a periodic synchronous loop (a worker's tick): commits now, or
 * returns null having written nothing while a transaction is open, and the
 * loop keeps its work for its next tick.
 */
export function tryWriteNow<T>(ctx: WriteTarget, body: () => T): { value: T } | null {
  if (ctx.sqlite.inTransaction) return null;
  return { value: ctx.sqlite.transaction(body).immediate() };
}
