import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

export interface Store {
  db: Kysely<Database>;
  /** The raw connection, for hot paths that prepare their own statements. */
  sqlite: SQLite.Database;
  file: string;
  close(): Promise<void>;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function openStore(file: string, opts: { migrations?: Record<string, Migration> } = {}): Promise<Store> {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // NORMAL under WAL is durable against process crashes (kill -9); only an OS
  // crash can lose the last commits. busy_timeout lets the CLI and the app share a file.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  // Unordered: migrations of one release were numbered by area and landed in
  // another order, and each touches only its own tables; a file that already
  // applied a later number must still take an earlier one it lacks.
  const wanted = opts.migrations ?? migrations;
  if (applied(sqlite, Object.keys(wanted))) return storeOf(db, sqlite, file);
  const migrator = new Migrator({
    db,
    provider: opts.migrations ? { getMigrations: async () => opts.migrations! } : provider,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new DossierError('internal', `database migration ${failed ?? ''} failed: ${String((error as Error).message ?? error)}`);
  }
  return storeOf(db, sqlite, file);
}

/**
 * Every migration already applied? One indexed read instead of Kysely's migrator, which reads the
 * schema's metadata at every start (~40 ms of each CLI command). Anything missing goes through
 * the migrator and its lock, so concurrent first starts still migrate once.
 */
function applied(sqlite: SQLite.Database, names: string[]): boolean {
  const table = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`).get();
  if (!table) return false;
  const have = new Set(sqlite.prepare(`select name from kysely_migration`).pluck().all() as string[]);
  return names.every((n) => have.has(n));
}

function storeOf(db: Kysely<Database>, sqlite: SQLite.Database, file: string): Store {
  let closed = false;
  return {
    db,
    sqlite,
    file,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
