import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

export type Behaviour = (req: Received, index: number, res: ServerResponse) => void | Promise<void>;

/** A real webhook receiver on 127.0.0.1 (or ::1) with an ephemeral port, for tests and benchmarks. */
export interface TestReceiver {
  url: string;
  port: number;
  received: Received[];
  /** TCP connections accepted, to prove a refused destination never got one. */
  connections: number;
  behave(b: Behaviour): void;
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export const ok: Behaviour = (_r, _i, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

export async function startReceiver(behaviour: Behaviour = ok, host = '127.0.0.1'): Promise<TestReceiver> {
  let b = behaviour;
  const received: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const state = { connections: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '/' };
      const index = received.push(r) - 1;
      for (const w of [...waiters]) if (received.length >= w.n) w.resolve();
      void Promise.resolve(b(r, index, res)).catch(() => res.destroy());
    });
  });
  server.on('connection', () => state.connections++);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostPart}:${port}/hook`,
    port,
    received,
    get connections() {
      return state.connections;
    },
    behave(nb) {
      b = nb;
    },
    waitFor(n, timeoutMs = 10_000) {
      if (received.length >= n) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${n} requests within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(t);
            resolve(received);
          },
        });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
