/**
 * P8: a request posted to a team channel → its row in the desktop relay log, over SSE.
 *
 * Figure: p50/p99 over 2,000 requests, one at a time, from the POST to the sync
 * server's public channel URL until the desktop's relay has committed the row
 * (the `relay.request` event after the commit): the server stores it in the team
 * sequence and commits, wakes the stream, the desktop parses the event, verifies
 * (a GitHub signature), logs it with its cursor in one transaction.
 * Baseline: a bare SSE echo on the same machine in the same run: a node:http server
 * that writes each POSTed body to an open event stream, read by the same SSE parser.
 * Floor: p99 < 50 ms (issue #10).
 */
import { createHmac } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { tempCore } from '../main/core/testing/temp-core.ts';
import { channelServer } from '../main/core/testing/channels.ts';
import { readEventStream } from '../main/core/sync/sse.ts';
import { percentile, report } from './lib/report.ts';

const N = Number(process.env.P8_REQUESTS ?? 2000);
const WARMUP = Number(process.env.P8_WARMUP ?? 100);
const FLOOR_P99_MS = 50;
const SECRET = 'bench-secret';

async function channelLatencies(): Promise<number[]> {
  const srv = await channelServer();
  const core = await tempCore({ log: undefined });
  try {
    await core.call('sync.connect', { server: srv.server.url, token: srv.token });
    const ch = await srv.channel('bench');
    await core.call('relay.endpoints.create', { slug: 'bench', provider: 'github', secret: SECRET, channelId: ch.id });
    await core.startWorkers(['relay.channels']);
    const waiting = new Map<string, () => void>();
    core.bus.on('relay.request', (p) => {
      if (p.kind === 'received' && p.request.deliveryId) waiting.get(p.request.deliveryId)?.();
    });
    const out: number[] = [];
    for (let i = 0; i < N + WARMUP; i++) {
      const body = JSON.stringify({ action: 'opened', n: i, issue: { title: 'Found a bug', user: { login: 'octocat' } } });
      const id = `d-${i}`;
      const logged = new Promise<void>((r) => waiting.set(id, r));
      const t0 = performance.now();
      const res = await fetch(ch.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-delivery': id,
          'x-github-event': 'issues',
          'x-hub-signature-256': 'sha256=' + createHmac('sha256', SECRET).update(body).digest('hex'),
        },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`channel POST answered ${res.status}`);
      await logged;
      waiting.delete(id);
      if (i >= WARMUP) out.push(performance.now() - t0);
    }
    const rows = Number(core.ctx.sqlite.prepare("select count(*) from relay_requests where verification = 'verified'").pluck().get());
    if (rows !== N + WARMUP) throw new Error(`${rows} verified rows, expected ${N + WARMUP}`);
    return out;
  } finally {
    await core.close();
    rmSync(core.dataDir, { recursive: true, force: true });
    await srv.close();
  }
}

async function bareLatencies(): Promise<number[]> {
  let stream: ServerResponse | null = null;
  let seq = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('retry: 3000\n\n');
      stream = res;
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stream!.write(`id: ${++seq}\nevent: request\ndata: ${JSON.stringify({ body_base64: Buffer.concat(chunks).toString('base64') })}\n\n`);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ac = new AbortController();
  const res = await fetch(`${url}/stream`, { signal: ac.signal });
  let arrived: (() => void) | null = null;
  const reading = readEventStream(res.body!, { onEvent: () => arrived?.() }).catch(() => undefined);
  const out: number[] = [];
  try {
    for (let i = 0; i < N + WARMUP; i++) {
      const body = JSON.stringify({ action: 'opened', n: i });
      const got = new Promise<void>((r) => (arrived = r));
      const t0 = performance.now();
      const r = await fetch(`${url}/post`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await r.arrayBuffer();
      await got;
      if (i >= WARMUP) out.push(performance.now() - t0);
    }
  } finally {
    ac.abort();
    await reading;
    server.closeAllConnections();
    server.close();
  }
  return out;
}

const bare = (await bareLatencies()).sort((a, b) => a - b);
const chan = (await channelLatencies()).sort((a, b) => a - b);
const p50 = percentile(chan, 50);
const p99 = percentile(chan, 99);
report({
  id: 'P8',
  what: `channel POST → desktop relay log row over SSE, p99 of ${N} (p50 ${p50.toFixed(2)} ms)`,
  figure: p99,
  unit: 'ms',
  baseline: percentile(bare, 99),
  baselineWhat: `bare SSE echo, p99 (p50 ${percentile(bare, 50).toFixed(2)} ms)`,
  floor: `p99 < ${FLOOR_P99_MS} ms`,
  pass: p99 < FLOOR_P99_MS,
  higherIsBetter: false,
  extra: { p50, p99, max: chan.at(-1), bareP50: percentile(bare, 50), bareP99: percentile(bare, 99), requests: N, storage: 'SQLite' },
});
process.exit(0);
