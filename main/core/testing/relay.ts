import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { tempCore } from '../testing/temp-core.ts';

export type TestCore = Awaited<ReturnType<typeof tempCore>>;

/** A core with the relay receiver on 127.0.0.1, port 0, and (optionally) the action worker running. */
export async function relayCore(opts: { actions?: boolean; dataDir?: string } = {}): Promise<{ core: TestCore; base: string }> {
  const core = await tempCore(opts.dataDir ? { dataDir: opts.dataDir } : {});
  core.relay.receiver.configure({ host: '127.0.0.1', port: 0, strict: true });
  await core.startWorkers(opts.actions ? ['relay.receiver', 'relay.actions'] : ['relay.receiver']);
  return { core, base: core.relay.receiver.url! };
}

export async function post(url: string, body: Buffer | string, headers: Record<string, string> | string[] = {}, method = 'POST') {
  const res = await request(url, { method: method as 'POST', headers, body: method === 'GET' ? undefined : body });
  const text = await res.body.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.statusCode, text, json, headers: res.headers };
}

export interface Captured {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

/** A local forward target that records what it receives and answers with the given statuses in turn. */
export async function captureServer(statuses: number[] = [200]): Promise<{ url: string; seen: Captured[]; close(): Promise<void> }> {
  const seen: Captured[] = [];
  let i = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) });
      const status = statuses[Math.min(i++, statuses.length - 1)]!;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`target says ${status}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/inbox`,
    seen,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}
