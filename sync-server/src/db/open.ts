import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import type { SyncDatabase } from './tables.ts';
import { migrations } from './migrations/index.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface SyncStore {
  db: Kysely<SyncDatabase>;
  dialect: DialectName;
  /** The pg pool on PostgreSQL (rate limiter store, LISTEN/NOTIFY); null on SQLite. */
  pool: pg.Pool | null;
  /** Where the data lives, for the start-up line (no password). */
  where: string;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://... ; when absent the SQLite file `<dataDir>/sync.db` is used. */
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

// bigint columns (times, sequences) come back from pg as strings; every value we store fits a double.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openSyncStore(opts: StoreOptions): Promise<SyncStore> {
  let store: SyncStore;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, types: pgTypes });
    // An idle connection the database closed (restart, failover, drop) must not crash the process:
    // the pool has already discarded it and opens a new one on the next checkout.
    pool.on('error', () => undefined);
    const db = new Kysely<SyncDatabase>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(opts.databaseUrl);
    store = {
      db,
      dialect: 'postgres',
      pool,
      where: `postgres://${url.host}${url.pathname}`,
      ping: (ms) => ping(db, ms),
      close: () => db.destroy(),
    };
  } else {
    const dir = opts.dataDir ?? './data';
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'sync.db');
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<SyncDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    store = { db, dialect: 'sqlite', pool: null, where: file, ping: (ms) => ping(db, ms), close: () => db.destroy() };
  }
  // Kysely takes an advisory lock on PostgreSQL (and tolerates the migration table being
  // created by a sibling), so several instances starting at once migrate exactly once.
  const { error, results } = await new Migrator({ db: store.db, provider }).migrateToLatest();
  if (error) {
    await store.close();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '';
    throw new Error(`sync server migration ${failed} failed: ${String((error as Error).message ?? error)}`);
  }
  return store;
}

async function ping(db: Kysely<SyncDatabase>, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
    });
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
