/**
 * P12: team webhooks delivered by two sync-server instances on one PostgreSQL database.
 *
 * Figure: published events (deliveries already committed, the webhook still
 * disabled) → the webhook is enabled → two real `bin/sync-server serve`
 * processes claim (FOR UPDATE SKIP LOCKED), sign, POST and record every
 * attempt; deliveries per second, both instances together, until the receiver
 * has every webhook-id. Each must arrive exactly once.
 * Baseline: a bare undici POST loop of the same bodies to the same receiver
 * with the same number of requests in flight (both instances' concurrency), same run.
 * The receiver (node:http on 127.0.0.1) runs in its own process for both.
 * Floor (issue #10): ≥ 1,000 deliveries/s. P12_N (events) and P12_CONCURRENCY (per instance, default 64) vary the run.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Agent, request } from 'undici';
import { openSyncStore } from '../sync-server/src/db/open.ts';
import { createTeam } from '../sync-server/src/teams.ts';
import { publishEvent } from '../sync-server/src/webhooks/events.ts';
import { serveProcess, stopProcess } from '../sync-server/src/testing/processes.ts';
import { deliveryBody } from '../main/core/webhooks/delivery/payload.ts';
import { report } from './lib/report.ts';

const N = Number(process.env.P12_N ?? 5_000);
const PER_INSTANCE = Number(process.env.P12_CONCURRENCY ?? 64);
const FLOOR = 1_000;
const PG_ADMIN_URL = process.env.DOSSIER_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const RECEIVER = `
const { createServer } = require('node:http');
const seen = new Set();
let total = 0;
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { total++; seen.add(String(req.headers['webhook-id'])); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); });
});
server.keepAliveTimeout = 10000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'count') process.send({ total, distinct: seen.size });
  if (m === 'reset') { seen.clear(); total = 0; process.send({ total, distinct: 0 }); }
  if (m === 'close') { server.closeAllConnections(); server.close(); process.disconnect(); }
});
`;

type Counts = { total: number; distinct: number };

function startReceiver(): Promise<{ url: string; ask(m: 'count' | 'reset'): Promise<Counts>; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { port: number }) =>
      resolve({
        url: `http://127.0.0.1:${m.port}/hook`,
        ask: (msg) =>
          new Promise((r) => {
            child.once('message', (x: Counts) => r(x));
            child.send(msg);
          }),
        close: async () => {
          child.send('close');
          await new Promise((r) => child.once('exit', r));
        },
      }),
    );
  });
}

const data = (i: number) => ({ investigationId: 'inv_bench', entity: { id: `ent_${i}`, type: 'email', value: `user${i}@example.com` } });

async function bare(url: string): Promise<number> {
  const agent = new Agent({ connections: 2 * PER_INSTANCE, keepAliveTimeout: 10_000 });
  const bodies = Array.from({ length: N }, (_, i) =>
    deliveryBody({ id: `evt_${i}`, type: 'entity.discovered', createdAt: Date.now(), dataJson: JSON.stringify(data(i)) }, 'whk_bench'),
  );
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 2 * PER_INSTANCE }, async () => {
      while (next < N) {
        const i = next++;
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': `evt_bare_${i}` },
          body: bodies[i],
          dispatcher: agent,
        });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`baseline got ${res.statusCode}`);
      }
    }),
  );
  const rate = N / ((performance.now() - t0) / 1000);
  await agent.close();
  return rate;
}

const dbName = `dossier_bench_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = new URL(PG_ADMIN_URL);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
const rx = await startReceiver();
const load0 = os.loadavg()[0];
let result: { rate: number; publishRate: number; counts: Counts; attempts: number; perInstance: number[] } | null = null;
let baseline = NaN;
try {
  await request(rx.url, { method: 'POST', body: '{}' }).then((r) => r.body.text());
  baseline = await bare(rx.url);
  await rx.ask('reset');

  // Publish through the server's own publish path (the route's transaction), the webhook still disabled.
  const store = await openSyncStore({ databaseUrl, poolSize: 16 });
  const { team, member } = await createTeam(store, 'bench', 'admin');
  const caller = { teamId: team.id, teamName: team.name, memberId: member.id, memberName: member.name, role: 'admin' as const };
  const now = Date.now();
  await store.db
    .insertInto('team_webhooks')
    .values({
      id: 'whk_bench',
      team_id: team.id,
      url: rx.url,
      description: 'P12',
      events: '["entity.discovered"]',
      secret: 'whsec_' + randomBytes(32).toString('base64'),
      headers: '{}',
      active: 1,
      timeout_ms: 10_000,
      disabled_reason: null,
      created_by: 'admin',
      created_at: now,
      updated_at: now,
    })
    .execute();
  let next = 0;
  const p0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const i = next++;
        await publishEvent(
          store.db,
          caller,
          { id: `evt_p12_${i}`, event: 'entity.discovered', timestamp: new Date().toISOString(), data: data(i) },
          Date.now(),
        );
      }
    }),
  );
  const publishRate = N / ((performance.now() - p0) / 1000);
  await store.db.updateTable('team_webhooks').set({ active: 0 }).execute();

  const env = { DATABASE_URL: databaseUrl, SYNC_ALLOW_SUBNETS: '127.0.0.1/32', SYNC_DELIVERY_CONCURRENCY: String(PER_INSTANCE), SYNC_LOG_LEVEL: 'silent' };
  const [a, b] = await Promise.all([serveProcess(env), serveProcess(env)]);
  try {
    const t0 = performance.now();
    await store.db.updateTable('team_webhooks').set({ active: 1 }).execute();
    let counts: Counts;
    for (;;) {
      counts = await rx.ask('count');
      if (counts.distinct >= N) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const secs = (performance.now() - t0) / 1000;
    // Let the last records commit before counting attempts and late repeats.
    for (;;) {
      const { rows } = await sql(store, `select count(*) as n from team_deliveries where status <> 'succeeded'`);
      if (Number(rows[0]!.n) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const attempts = Number((await sql(store, 'select count(*) as n from team_delivery_attempts')).rows[0]!.n);
    const perInstance = await Promise.all(
      [a, b].map(async (s) =>
        Number(/sync_webhook_deliveries_total\{outcome="succeeded"\} (\d+)/.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0),
      ),
    );
    result = { rate: N / secs, publishRate, counts: await rx.ask('count'), attempts, perInstance };
  } finally {
    await Promise.all([stopProcess(a.proc), stopProcess(b.proc)]);
    await store.close();
  }
} finally {
  await rx.close();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
}

async function sql(store: Awaited<ReturnType<typeof openSyncStore>>, text: string) {
  return store.pool!.query<{ n: string }>(text);
}

const r = result!;
const eachOnce = r.counts.distinct === N && r.counts.total === N && r.attempts === N;
report({
  id: 'P12',
  what: `team deliveries/s, 2 instances on PostgreSQL, ${N} events${eachOnce ? ', each once' : ', NOT each once'}`,
  figure: r.rate,
  unit: '/s',
  baseline,
  baselineWhat: `bare undici POST loop, ${2 * PER_INSTANCE} in flight`,
  floor: `>= ${FLOOR}/s, each once`,
  pass: eachOnce && r.rate >= FLOOR,
  higherIsBetter: true,
  extra: {
    received: r.counts,
    attempts: r.attempts,
    perInstance: r.perInstance,
    publishPerSec: Math.round(r.publishRate),
    load1m: [load0, os.loadavg()[0]],
    cores: os.cpus().length,
  },
});
