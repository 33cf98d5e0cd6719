import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPgDatabase, type TempDatabase } from './testing/pg.ts';
import { runSyncServer, serveProcess, stopProcess } from './testing/processes.ts';

/** A receiver that counts every `webhook-id` it is sent, with the time of each, and answers after a short hold so requests are in flight. */
async function countingReceiver(holdMs: number) {
  const seen = new Map<string, number[]>();
  let total = 0;
  const waiters: { n: number; resolve(): void }[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      const list = seen.get(id) ?? [];
      list.push(Date.now());
      seen.set(id, list);
      total++;
      for (const w of [...waiters]) if (seen.size >= w.n) w.resolve();
      setTimeout(() => res.writeHead(200).end('ok'), holdMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    seen,
    get total() {
      return total;
    },
    distinct: (n: number) => (seen.size >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function publish(urls: string[], token: string, ids: string[]): Promise<void> {
  let next = 0;
  const worker = async (k: number) => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const res = await fetch(`${urls[k % urls.length]}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, event: 'entity.discovered', timestamp: new Date().toISOString(), data: { n: id } }),
      });
      if (res.status !== 202) throw new Error(`publish ${id}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, k) => worker(k)));
}

/** SPEC §3.9 "Delivery across instances", with real `bin/sync-server serve` processes on one fresh PostgreSQL database. */
// Two server processes, 1,000 publishes and deliveries each: minutes on a loaded shared machine, so a generous bound.
describe('team webhooks delivered by two instances on one PostgreSQL database', { timeout: 180_000 }, () => {
  let db: TempDatabase;
  let pool: pg.Pool;
  const procs: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;
  let token: string;

  beforeAll(async () => {
    db = await tempPgDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    env = {
      DATABASE_URL: db.url,
      SYNC_ALLOW_SUBNETS: '127.0.0.1/32',
      SYNC_RATE_LIMIT: '1000000',
      SYNC_DELIVERY_LEASE_MS: '2000',
      SYNC_DELIVERY_CONCURRENCY: '16',
    };
    const team = await runSyncServer(['create-team', 'ops', '--json'], env);
    token = (JSON.parse(team.stdout) as { token: string }).token;
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => stopProcess(p, 'SIGKILL')));
    await pool?.end();
    await db?.drop();
  });

  async function webhookTo(base: string, url: string): Promise<string> {
    const res = await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, events: ['entity.discovered'], timeout_ms: 1000 }),
    });
    return ((await res.json()) as { id: string }).id;
  }
  /** Until every delivery of the webhook is finished: nothing is left that could still arrive late. */
  async function settled(webhookId: string): Promise<Record<string, number>> {
    for (;;) {
      const { rows } = await pool.query<{ status: string; n: string }>(
        'select status, count(*) as n from team_deliveries where webhook_id = $1 group by status',
        [webhookId],
      );
      const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
      if (!by.pending && !by.delivering && !by.failed) return by;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('1,000 events through both instances: every webhook-id delivered, none twice, one attempt each', async () => {
    const [a, b] = await Promise.all([serveProcess(env), serveProcess(env)]);
    procs.push(a.proc, b.proc);
    const rx = await countingReceiver(2);
    try {
      const hook = await webhookTo(a.url, rx.url);
      const ids = Array.from({ length: 1000 }, (_, i) => `evt_once_${i}`);
      await publish([a.url, b.url], token, ids);
      await rx.distinct(1000);
      expect(await settled(hook)).toEqual({ succeeded: 1000 });
      expect([...rx.seen.keys()].sort()).toEqual([...ids].sort());
      expect(rx.total).toBe(1000);
      const { rows } = await pool.query<{ n: string }>('select count(*) as n from team_delivery_attempts where webhook_id = $1', [hook]);
      expect(Number(rows[0]!.n)).toBe(1000);
      // Both instances did part of the work (their metrics say how much).
      const counts = await Promise.all(
        [a, b].map(async (s) =>
          Number(/sync_webhook_deliveries_total\{outcome="succeeded"\} (\d+)/.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0),
        ),
      );
      expect(counts[0]! + counts[1]!).toBe(1000);
      expect(Math.min(...counts)).toBeGreaterThan(0);
    } finally {
      await rx.close();
      await Promise.all([stopProcess(a.proc), stopProcess(b.proc)]);
    }
  });

  it('kill -9 of one instance mid-run: the other finishes after the lease; only requests in flight at the kill may repeat', async () => {
    const [a, b] = await Promise.all([serveProcess(env), serveProcess(env)]);
    procs.push(a.proc, b.proc);
    const rx = await countingReceiver(20);
    try {
      const hook = await webhookTo(a.url, rx.url);
      const ids = Array.from({ length: 1000 }, (_, i) => `evt_kill_${i}`);
      // Published through B only, so the kill of A loses no publish.
      const published = publish([b.url], token, ids);
      await rx.distinct(300);
      await stopProcess(a.proc, 'SIGKILL');
      // Once the exit is seen nothing more can come from A.
      const killedAt = Date.now();
      await published;
      await rx.distinct(1000);
      expect(await settled(hook)).toEqual({ succeeded: 1000 });
      expect([...rx.seen.keys()].sort()).toEqual([...ids].sort());
      const repeated = [...rx.seen].filter(([, times]) => times.length > 1);
      // A repeat is a request A had sent before it died (its claim then expired and B took the delivery over) ...
      for (const [id, times] of repeated) expect(times[0]!, id).toBeLessThanOrEqual(killedAt);
      // ... and A had at most its concurrency in flight.
      expect(repeated.length).toBeLessThanOrEqual(16);
      expect(rx.total).toBe(1000 + repeated.reduce((s, [, t]) => s + t.length - 1, 0));
    } finally {
      await rx.close();
      await stopProcess(b.proc);
    }
  });
});
