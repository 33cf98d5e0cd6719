import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { defineTool, ToolError, type ToolDefinition } from '../tools/types.ts';
import { assertOk, httpRequest, safeHost } from '../tools/http.ts';

/**
 * Tools and a local host fixture for executor tests and benchmarks. The
 * tools are registered in a test's own core (ctx.tools.register); the fixture
 * is a real HTTP server on 127.0.0.1 behaving like a remote host that is
 * slow, rate-limits, goes down or hangs.
 */

/** Does nothing: measures the executor's own overhead. */
export const noopTool: ToolDefinition = defineTool({
  name: 'test.noop',
  title: 'No-op',
  description: 'Returns at once with nothing found.',
  accepts: ['username', 'other', 'email', 'domain'] as const,
  params: z.object({}).strict(),
  hosts: () => [],
  rateLimit: { perSecond: 0, burst: 1 },
  async run() {
    return { entities: [], links: [], summary: 'nothing' };
  },
});

/** GET <base>/<path>/<value> through the executor's gate; non-2xx is a ToolError (429/5xx transient). */
export function fetchTool(base: string, name = 'test.fetch'): ToolDefinition {
  return defineTool({
    name,
    title: 'Fetch',
    description: 'GET a path of the fixture host.',
    accepts: ['username', 'other'] as const,
    params: z.object({ path: z.string().default('ok') }),
    hosts: () => [safeHost(base)],
    rateLimit: { perSecond: 10_000, burst: 1000 },
    egress: 'proxied',
    async run(input, p, ctx) {
      const res = await httpRequest({ url: `${base}/${p.path}/${encodeURIComponent(input.value)}`, signal: ctx.signal, egress: ctx.egress, gate: ctx.gate, timeoutMs: 30_000 });
      assertOk(res, 'fetch');
      return { entities: [], links: [], summary: `HTTP ${res.status}` };
    },
  });
}

/**
 * Input `n` (a number as text) discovers usernames `n+1` and `n+2`: a graph
 * where the same value is reached along several paths, for follow-up depth
 * and de-duplication.
 */
export const expandTool: ToolDefinition = defineTool({
  name: 'test.expand',
  title: 'Expand',
  description: 'Discovers n+1 and n+2.',
  accepts: ['username'] as const,
  params: z.object({}),
  hosts: () => [],
  rateLimit: { perSecond: 0, burst: 1 },
  async run(input) {
    const n = Number(input.value);
    const kids = [n + 1, n + 2].map(String);
    return {
      entities: kids.map((v) => ({ ref: v, type: 'username' as const, value: v })),
      links: kids.map((v) => ({ source: 'input', target: v, type: 'related' as const })),
      summary: `found ${kids.join(', ')}`,
    };
  },
});

/** `perm-*` fails permanently; `flaky-*` fails transiently on its first `flakyTimes` attempts; anything else succeeds. */
export function failingTool(flakyTimes = 1): ToolDefinition & { calls: Map<string, number>; fixed: Set<string> } {
  const calls = new Map<string, number>();
  /** Values that succeed from now on (a site that came back). */
  const fixed = new Set<string>();
  const def = defineTool({
    name: 'test.fail',
    title: 'Fail on purpose',
    description: 'Fails by input value.',
    accepts: ['other', 'username'] as const,
    params: z.object({}),
    hosts: () => [],
    rateLimit: { perSecond: 0, burst: 1 },
    async run(input) {
      const n = (calls.get(input.value) ?? 0) + 1;
      calls.set(input.value, n);
      if (fixed.has(input.value)) return { entities: [], links: [], summary: 'ok' };
      if (input.value.startsWith('perm-')) throw ToolError.permanent(`${input.value} is refused`);
      if (input.value.startsWith('flaky-') && n <= flakyTimes) throw ToolError.transient(`${input.value} hiccup ${n}`);
      return { entities: [], links: [], summary: 'ok' };
    },
  });
  return Object.assign(def, { calls, fixed });
}

export interface HostFixture {
  url: string;
  host: string;
  /** Every request: path and arrival time (ms). */
  hits: { path: string; at: number }[];
  /** Requests whose connection closed before an answer was sent (what an abort looks like to a server). */
  abandoned: number;
  /** Requests currently waiting on /hang. */
  hanging: number;
  delayMs: number;
  retryAfterSeconds: number;
  /** While true, /down answers 503. */
  down: boolean;
  close(): Promise<void>;
}

/**
 *   /ok/:v       200 after delayMs
 *   /hang/:v     never answers
 *   /limited/:v  429 with Retry-After on the first request of each path, 200 after
 *   /down/:v     503 while `down`, else 200
 */
export async function startHostFixture(opts: { delayMs?: number; retryAfterSeconds?: number } = {}): Promise<HostFixture> {
  const sockets = new Set<Socket>();
  const limitedSeen = new Set<string>();
  const fx: HostFixture = {
    url: '',
    host: '',
    hits: [],
    abandoned: 0,
    hanging: 0,
    delayMs: opts.delayMs ?? 0,
    retryAfterSeconds: opts.retryAfterSeconds ?? 1,
    down: false,
    close: async () => undefined,
  };
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    fx.hits.push({ path, at: Date.now() });
    let answered = false;
    res.on('finish', () => (answered = true));
    res.on('close', () => {
      if (!answered) fx.abandoned++;
    });
    const route = path.split('/')[1];
    if (route === 'ok') {
      if (fx.delayMs > 0) setTimeout(() => send(res, 200, 'ok'), fx.delayMs);
      else send(res, 200, 'ok');
    } else if (route === 'hang') {
      fx.hanging++;
      res.on('close', () => fx.hanging--);
    } else if (route === 'limited') {
      if (!limitedSeen.has(path)) {
        limitedSeen.add(path);
        send(res, 429, 'slow down', { 'retry-after': String(fx.retryAfterSeconds) });
      } else send(res, 200, 'ok');
    } else if (route === 'down') {
      if (fx.down) send(res, 503, 'unavailable');
      else send(res, 200, 'ok');
    } else send(res, 404, 'no such route');
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  fx.url = `http://127.0.0.1:${port}`;
  fx.host = `127.0.0.1:${port}`;
  fx.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fx;
}
