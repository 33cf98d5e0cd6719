import { sql, type Kysely, type Transaction } from 'kysely';
import type { SyncDatabase } from './tables.ts';
import type { DialectName } from './open.ts';

/**
 * Where SQLite and PostgreSQL differ, in one place. Both take `insert ... on
 * conflict do nothing` and `update ... returning`, so most code needs nothing here.
 */
export type Db = Kysely<SyncDatabase> | Transaction<SyncDatabase>;

/**
 * The next number of the team's change sequence, inside the caller's transaction.
 * The UPDATE takes the team row's lock (PostgreSQL) or the write lock (SQLite) until
 * commit, so a later number can never commit before an earlier one: a reader that
 * has seen seq N has seen every change numbered below N.
 */
export async function nextSeq(trx: Transaction<SyncDatabase>, teamId: string, count = 1): Promise<number> {
  const row = await trx
    .updateTable('teams')
    .set({ seq: sql<number>`seq + ${count}` })
    .where('id', '=', teamId)
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(row.seq) - count + 1;
}

/** SQLite needs the write lock from the start of the transaction (BEGIN IMMEDIATE) to avoid upgrade deadlocks; PostgreSQL does not. */
export function isPostgres(dialect: DialectName): boolean {
  return dialect === 'postgres';
}

/**
 * The row lock of a delivery claim. On PostgreSQL `FOR UPDATE SKIP LOCKED`, so
 * instances claiming at once each take different rows and never wait on each
 * other; SQLite runs a single instance and its write lock serialises claims.
 */
export function skipLocked(dialect: DialectName, alias: string) {
  return isPostgres(dialect) ? sql`for update of ${sql.raw(alias)} skip locked` : sql``;
}

/**
 * A derived table of literal rows, for one UPDATE ... FROM over a whole batch.
 * PostgreSQL takes one array per column through unnest (one plan however many
 * rows; a UNION of a hundred SELECTs costs more to plan than to run); SQLite,
 * in-process, takes the UNION ALL. Columns are cast so both know their types.
 */
export function valuesTable(dialect: DialectName, cols: readonly (readonly [string, 'text' | 'integer' | 'bigint'])[], rows: readonly (readonly unknown[])[]) {
  if (isPostgres(dialect)) {
    const arrays = cols.map(([, type], i) => sql`cast(${rows.map((r) => r[i] ?? null)} as ${sql.raw(type)}[])`);
    return sql`select * from unnest(${sql.join(arrays)}) as v(${sql.join(cols.map(([name]) => sql.ref(name)))})`;
  }
  return sql.join(
    rows.map((r) => sql`select ${sql.join(cols.map(([name, type], i) => sql`cast(${r[i] ?? null} as ${sql.raw(type)}) as ${sql.ref(name)}`))}`),
    sql` union all `,
  );
}

/** A unique-key violation, in either dialect's words. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || /UNIQUE constraint failed/.test(String(err?.message ?? ''));
}
