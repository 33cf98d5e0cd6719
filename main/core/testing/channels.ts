import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../../../sync-server/src/server.ts';
import { createTeam } from '../../../sync-server/src/teams.ts';
import type { DossierCore } from '../core.ts';
import { tempDir } from './temp-core.ts';

/** A real sync server (SQLite in a temp dir) with one team, for desktop channel tests. */
export async function channelServer(): Promise<{
  server: RunningServer;
  token: string;
  channel(name: string): Promise<{ id: string; url: string }>;
  close(): Promise<void>;
}> {
  const dir = tempDir('dossier-chan-server-');
  const server = await startServer({
    port: 0,
    dataDir: dir,
    log: pino({ level: 'silent' }),
    config: { rateLimit: { perMember: 100_000, authFailuresPerIp: 100, perChannel: 100_000, perHookSource: 100_000 } },
  });
  const { token } = await createTeam(server.store, 'desk', 'admin');
  return {
    server,
    token,
    async channel(name) {
      const res = await fetch(`${server.url}/api/v1/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      if (res.status !== 201) throw new Error(`channel create answered ${res.status}`);
      return (await res.json()) as { id: string; url: string };
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST bytes to a channel URL as a provider would; resolves with the server's status. */
export async function postToChannel(url: string, body: Uint8Array | string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Resolves once `n` requests of the endpoint are in its relay log; woken by the core's relay.request events, never by polling. */
export function loggedCount(core: DossierCore, endpointId: string, n: number): Promise<number> {
  const count = () => Number((core.ctx.sqlite.prepare('select count(*) from relay_requests where endpoint_id = ?').pluck().get(endpointId) as number) ?? 0);
  return new Promise((resolve) => {
    const check = () => {
      const c = count();
      if (c >= n) {
        off();
        resolve(c);
      }
    };
    const off = core.bus.on('relay.request', check);
    check();
  });
}

/**
 * An HTTP proxy in front of the sync server that answers 502 to the first
 * `fail` channel stream requests (a gateway whose upstream is down), then passes
 * everything through, streaming included.
 */
export async function flakyProxy(target: string, fail: number): Promise<{ url: string; streamAttempts: number[]; close(): Promise<void> }> {
  const t = new URL(target);
  const attempts: number[] = [];
  let streams = 0;
  const server: Server = createServer((req, res) => {
    if (/\/stream$/.test(req.url ?? '')) {
      streams++;
      if (streams <= fail) {
        attempts.push(502);
        req.resume();
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html>502 Bad Gateway</html>');
        return;
      }
      attempts.push(200);
    }
    const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
    res.on('close', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    streamAttempts: attempts,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
