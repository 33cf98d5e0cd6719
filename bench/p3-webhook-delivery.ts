/**
 * P3: outbound webhook deliveries to a local receiver, durable and signed.
 *
 * Figure: events already committed to the outbox → fanned out to deliveries →
 * claimed, signed (Standard Webhooks + x-webhook-signature), POSTed, and every
 * attempt and final status committed to SQLite; per second, until all are
 * recorded as succeeded.
 * Baseline: a bare fetch loop posting the same bodies to the same receiver
 * with the same number of requests in flight, in the same run.
 * The receiver (node:http on 127.0.0.1) runs in its own process for both.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { createCore } from '../main/core/core.ts';
import { writeEvent } from '../main/core/events/outbox.ts';
import { deliveryBody } from '../main/core/webhooks/delivery/payload.ts';
import { WEBHOOK_CONCURRENCY_PER_WEBHOOK } from '../preload/contract/webhooks.ts';
import { report } from './lib/report.ts';

const N = Number(process.env.P3_N ?? 10_000);
const CONCURRENCY = WEBHOOK_CONCURRENCY_PER_WEBHOOK;
const FLOOR = 2_000;

const RECEIVER = `
const { createServer } = require('node:http');
let count = 0;
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { count++; res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); });
});
server.keepAliveTimeout = 10000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => { if (m === 'count') process.send({ count }); if (m === 'close') { server.closeAllConnections(); server.close(); process.disconnect(); } });
`;

/** The receiver runs in its own process, so this process's CPU time is the sender's alone. */
function startReceiver(): Promise<{ url: string; count(): Promise<number>; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (m: { port: number }) =>
      resolve({
        url: `http://127.0.0.1:${m.port}/hook`,
        count: () =>
          new Promise((r) => {
            child.once('message', (x: { count: number }) => r(x.count));
            child.send('count');
          }),
        close: async () => {
          child.send('close');
          await new Promise((r) => child.once('exit', r));
        },
      }),
    );
  });
}

function eventData(i: number) {
  return { investigationId: 'inv_bench', entity: { id: `ent_${i}`, type: 'email', value: `user${i}@example.com`, properties: { source: 'bench', n: i } } };
}

/** CPU time of this process per item: comparable even when other work shares the machine. */
function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function bareFetch(url: string): Promise<{ rate: number; cpuUsPer: number }> {
  const bodies = Array.from({ length: N }, (_, i) =>
    deliveryBody({ id: `evt_${i}`, type: 'entity.discovered', createdAt: Date.now(), dataJson: JSON.stringify(eventData(i)) }, 'wh_bench'),
  );
  let next = 0;
  const c0 = cpuMicros();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const body = bodies[next++]!;
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.text();
        if (!res.ok) throw new Error(`baseline got ${res.status}`);
      }
    }),
  );
  return { rate: N / ((performance.now() - t0) / 1000), cpuUsPer: (cpuMicros() - c0) / N };
}

async function dossier(url: string): Promise<{ rate: number; attempts: number; cpuUsPer: number; elu: number }> {
  const dataDir = tempDir('dossier-bench-p3-');
  const core = await createCore({ dataDir, mode: 'cli' });
  try {
    await core.call('webhooks.create', { url, events: ['entity.discovered'], allowPrivateNetwork: true });
    // The events are committed first (as the changes that cause them would), then the engine starts.
    await core.ctx.db.transaction().execute(async (trx) => {
      for (let i = 0; i < N; i++) await writeEvent(trx, 'entity.discovered', eventData(i));
    });
    // Index seeks, so watching for the end costs next to nothing.
    const busy = core.ctx.sqlite.prepare<[], { busy: number }>(
      `select exists(select 1 from outbox where dispatched_at is null)
           or exists(select 1 from deliveries where status in ('pending','failed','delivering')) as busy`,
    );
    const c0 = cpuMicros();
    const e0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    await core.startWorkers(['webhooks.dispatcher', 'webhooks.delivery']);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!busy.get()!.busy) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    const secs = (performance.now() - t0) / 1000;
    const cpuUsPer = (cpuMicros() - c0) / N;
    // Share of the run the event loop was busy: near 1 means CPU-bound, lower means waiting on the receiver.
    const elu = performance.eventLoopUtilization(e0).utilization;
    const attempts = core.ctx.sqlite.prepare<[], { n: number }>('select count(*) as n from delivery_attempts').get()!.n;
    return { rate: N / secs, attempts, cpuUsPer, elu };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rx = await startReceiver();
// Warm both paths (JIT, sockets) before measuring.
await fetch(rx.url, { method: 'POST', body: '{}' }).then((r) => r.text());
// P3_ONLY=dossier skips the baseline (for profiling the engine alone); the report then has no ratio.
const baseline = process.env.P3_ONLY === 'dossier' ? { rate: NaN, cpuUsPer: NaN } : await bareFetch(rx.url);
const before = await rx.count();
const ours = await dossier(rx.url);
const delivered = (await rx.count()) - before;
await rx.close();

report({
  id: 'P3',
  what: `webhook deliveries, durable + signed (${N}, ${CONCURRENCY} in flight; CPU ${Math.round(ours.cpuUsPer)} µs/delivery vs ${Math.round(baseline.cpuUsPer)} µs/bare POST)`,
  figure: ours.rate,
  unit: 'deliv/s',
  baseline: baseline.rate,
  baselineWhat: 'bare fetch loop, same bodies',
  floor: `≥ ${FLOOR}/s`,
  pass: ours.rate >= FLOOR && delivered === N && ours.attempts === N,
  higherIsBetter: true,
  extra: {
    delivered,
    attempts: ours.attempts,
    cpuMicrosPerDelivery: Math.round(ours.cpuUsPer),
    eventLoopUtilization: Number(ours.elu.toFixed(2)),
    baselineCpuMicrosPerPost: Math.round(baseline.cpuUsPer),
    loadAverage: os.loadavg()[0],
  },
});
