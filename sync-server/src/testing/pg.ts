import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use (SPEC: real PostgreSQL, never mocked). */
export const PG_ADMIN_URL = process.env.DOSSIER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh `dossier_test_<random>` database, dropped (with its connections) by drop(). */
export async function tempPgDatabase(): Promise<TempDatabase> {
  const name = `dossier_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL does not answer at ${PG_ADMIN_URL} (${(e as Error).message}); start it or set DOSSIER_TEST_PG_URL`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
