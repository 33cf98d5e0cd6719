import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SyncDatabase } from '../db/tables.ts';
import type { RunningServer } from '../server.ts';

/** A reading connection apart from the server's own: a second SQLite handle on the file, or the pg pool (other connections). */
export function secondReader(s: RunningServer): { db: Kysely<SyncDatabase>; close(): Promise<void> } {
  if (s.store.dialect === 'postgres') return { db: s.store.db, close: async () => undefined };
  const file = s.store.where;
  const db = new Kysely<SyncDatabase>({ dialect: new SqliteDialect({ database: new SQLite(file.endsWith('sync.db') ? file : join(file, 'sync.db'), { readonly: true }) }) });
  return { db, close: () => db.destroy() };
}
