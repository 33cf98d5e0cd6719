// Issue #9 bench (no SPEC §6 floor of its own): a desktop pulling 10,000 template changes
// from the sync server with `since` paging, beside a bare select of the same rows, on SQLite
// and on PostgreSQL (127.0.0.1:5432, its own `dossier_bench_<random>` database, dropped after).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startServer, type ServeOptions } from '../sync-server/src/server.ts';
import { createTeam } from '../sync-server/src/teams.ts';
import { SyncClient } from '../main/core/sync/client.ts';
import { report } from './lib/report.ts';

const N = 10_000;
const PG_ADMIN_URL = process.env.DOSSIER_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function bench(label: string, store: Pick<ServeOptions, 'dataDir' | 'databaseUrl'>): Promise<void> {
  const server = await startServer({
    port: 0,
    ...store,
    log: pino({ level: 'silent' }),
    config: { rateLimit: { perMember: 1_000_000, authFailuresPerIp: 100 } },
  });
  try {
    const { team, token } = await createTeam(server.store, 'bench', 'admin');
    const definition = JSON.stringify({
      description: 'bench',
      steps: [{ tool: 'username.sites', input: '{{username}}', params: {} }],
      followUps: [],
      maxDepth: 1,
    });
    await server.store.db.transaction().execute(async (trx) => {
      const now = Date.now();
      for (let i = 0; i < N; i += 500) {
        const rows = Array.from({ length: Math.min(500, N - i) }, (_, j) => ({
          team_id: team.id,
          id: `tpl_${i + j}`,
          name: `t${i + j}`,
          version: 1,
          deleted: 0,
          definition,
          seq: 1000 + i + j,
          created_by: 'admin',
          updated_by: 'admin',
          created_at: now,
          updated_at: now,
        }));
        await trx.insertInto('shared_templates').values(rows).execute();
      }
      await trx
        .updateTable('teams')
        .set({ seq: 1000 + N })
        .where('id', '=', team.id)
        .execute();
    });
    const client = new SyncClient({ server: server.url, token });

    async function pull(): Promise<number> {
      let cursor = '0';
      let n = 0;
      for (;;) {
        const page = await client.feed(cursor, 1000);
        n += page.items.length;
        cursor = page.cursor;
        if (!page.more) return n;
      }
    }
    async function bare(): Promise<number> {
      const rows = await server.store.db.selectFrom('shared_templates').selectAll().where('team_id', '=', team.id).orderBy('seq').execute();
      for (const r of rows) JSON.parse(r.definition);
      return rows.length;
    }
    await pull();
    await bare();
    const time = async (fn: () => Promise<number>) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const n = await fn();
        if (n !== N) throw new Error(`pulled ${n}, expected ${N}`);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const pullMs = await time(pull);
    const bareMs = await time(bare);
    report({
      id: 'P90',
      what: `template pull of ${N} changes over HTTP, since paging (1,000/page), ${label}`,
      figure: pullMs,
      unit: 'ms',
      baseline: bareMs,
      baselineWhat: `bare select of the same rows + JSON.parse (${label})`,
      floor: '< 5000 ms (issue #9; no SPEC floor)',
      pass: pullMs < 5000,
      higherIsBetter: false,
    });
  } finally {
    await server.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-sync-'));
try {
  await bench('SQLite', { dataDir: dir });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// PostgreSQL: a database of its own per run, so the figure never reads another run's rows.
const name = `dossier_bench_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
await admin.connect();
await admin.query(`create database ${name}`);
try {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await bench('PostgreSQL', { databaseUrl: url.toString() });
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
