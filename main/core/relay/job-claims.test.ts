import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { post } from '../testing/relay.ts';
import { until } from '../testing/until.ts';
import { RELAY_JOB_LEASE_MS } from './actions.ts';

/**
 * SPEC §1, one queue discipline: the desktop and `dossier serve` on one data directory both run the relay's action
 * worker. A job is claimed with a lease and a claim id, so each request is forwarded once, a job whose worker went
 * quiet past its lease is taken over, and the late worker cannot record over the one that took it.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** A forward target that counts what it gets by relay request id; `hold` keeps the first request unanswered, `delayMs` answers slowly. */
async function target(opts: { hold?: boolean; delayMs?: number } = {}) {
  const seen: string[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(String(req.headers['x-dossier-relay-request']));
      if (opts.hold && seen.length === 1) held.push(res);
      else setTimeout(() => res.writeHead(200).end('ok'), opts.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`,
    seen,
    release: () => held.splice(0).forEach((res) => res.writeHead(200).end('late')),
  };
}

async function twoCores(clocks: { a?: { now(): number }; b?: { now(): number } } = {}) {
  const dataDir = tempDir();
  const a = await tempCore({ dataDir, ...(clocks.a ? { clock: clocks.a } : {}) });
  const b = await tempCore({ dataDir, ...(clocks.b ? { clock: clocks.b } : {}) });
  cleanup.push(() => a.dispose());
  cleanup.push(() => b.close());
  a.relay.receiver.configure({ host: '127.0.0.1', port: 0, strict: true });
  return { a, b };
}

const jobs = (core: Awaited<ReturnType<typeof tempCore>>) =>
  core.ctx.sqlite.prepare(`select status, attempts, claim_id, lease_until from relay_jobs order by id`).all() as {
    status: string;
    attempts: number;
    claim_id: string | null;
    lease_until: number | null;
  }[];

describe('relay job claims', () => {
  it('two processes working one data directory forward each request once', async () => {
    // A slow target keeps jobs in flight while the other process polls: without claims it forwarded them too.
    const t = await target({ delayMs: 300 });
    const { a, b } = await twoCores();
    await a.call('relay.endpoints.create', { slug: 'fw', provider: 'none', forwardTo: t.url });
    await a.startWorkers(['relay.receiver', 'relay.actions']);
    await b.startWorkers(['relay.actions']);
    const N = 60;
    const ids: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await post(`${a.relay.receiver.url!}/hooks/fw`, JSON.stringify({ i }), { 'content-type': 'application/json' });
      expect(r.status).toBe(202);
      ids.push(r.json!.id as number);
    }
    await until(() => jobs(a).filter((j) => j.status === 'done').length === N, 30_000);
    expect(t.seen.slice().sort()).toEqual(ids.map(String).sort());
    expect(jobs(a).every((j) => j.attempts === 1 && j.claim_id === null && j.lease_until === null)).toBe(true);
  });

  it('a job whose worker went quiet past its lease is taken over, and the late result is refused', async () => {
    const t = await target({ hold: true });
    let bNow = Date.now();
    const { a, b } = await twoCores({ b: { now: () => bNow } });
    await a.call('relay.endpoints.create', { slug: 'fw', provider: 'none', forwardTo: t.url });
    await a.startWorkers(['relay.receiver', 'relay.actions']);
    const r = await post(`${a.relay.receiver.url!}/hooks/fw`, '{}', { 'content-type': 'application/json' });
    // A's forward reaches the target, which keeps it waiting: A holds the job.
    await until(() => t.seen.length === 1);
    expect(jobs(a)[0]).toMatchObject({ status: 'pending', attempts: 0 });
    // Before the lease ends nobody else takes it...
    await b.relay.actions.drain();
    expect(t.seen).toHaveLength(1);
    // ...after it, the other process does, forwards and records.
    bNow = Date.now() + RELAY_JOB_LEASE_MS + 1_000;
    await b.relay.actions.drain();
    expect(t.seen).toEqual([String(r.json!.id), String(r.json!.id)]);
    expect(jobs(a)[0]).toMatchObject({ status: 'done', attempts: 1, claim_id: null });
    // A's answer comes at last: its claim was taken over, so it records nothing over B's result.
    const before = a.ctx.sqlite.prepare(`select * from relay_jobs`).get();
    t.release();
    await until(async () => {
      await a.relay.actions.drain();
      return true;
    });
    expect(a.ctx.sqlite.prepare(`select * from relay_jobs`).get()).toEqual(before);
    expect((await a.call('relay.requests.get', { id: r.json!.id as number })).forwardState).toBe('delivered');
  });
});
