import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { relayCore, post, type TestCore } from '../testing/relay.ts';
import { forwardOnce, type StoredRequest } from './forward.ts';
import { sendPlayground } from './playground.ts';


/** One logged inbound request, as the forward worker reads it. */
async function loggedRequest(): Promise<StoredRequest> {
  const r = await relayCore();
  core = r.core;
  await core.call('relay.endpoints.create', { slug: 'in', provider: 'none' });
  const res = await post(`${r.base}/hooks/in`, '{"a":1}', { 'content-type': 'application/json' });
  const id = (res.json as { id: number }).id;
  return core.ctx.sqlite.prepare('select id, method, headers, sealed_headers, body from relay_requests where id = ?').get(id) as StoredRequest;
}

let server: Server | null = null;
let core: TestCore | null = null;
const open = new Set<ServerResponse>();
afterEach(async () => {
  for (const r of open) r.destroy();
  open.clear();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
  await core?.dispose();
  core = null;
});

/** A target that answers at once and then trickles one byte every 50 ms, forever: every idle timer stays happy. */
async function trickler(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    open.add(res);
    res.writeHead(200, { 'content-type': 'text/plain' });
    const t = setInterval(() => res.write('.'), 50);
    res.on('close', () => clearInterval(t));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`;
}

/** A target whose body is far larger than anything Dossier keeps. */
async function firehose(bytes: number): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    open.add(res);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.alloc(bytes, 0x61));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/big`;
}

describe('relay forward and playground: a total response deadline', () => {
  it('the playground gives up on a trickling target with a typed error naming the deadline', async () => {
    const url = await trickler();
    await expect(sendPlayground({ method: 'POST', url, headers: [], body: '{}', sign: null }, 400)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/within the 400 ms deadline/),
    });
  });

  it('a forward to a trickling target ends at the deadline with the error recorded (its 200 stands: the target took it)', async () => {
    const req = await loggedRequest();
    const url = await trickler();
    const attempt = await forwardOnce(core!.ctx, req, url, 1, 400);
    expect(attempt.status).toBe(200);
    expect(attempt.error).toMatch(/within the 400 ms deadline/);
  });

  it('a huge answer is cut at the cap without reading the rest', async () => {
    const req = await loggedRequest();
    const url = await firehose(8 * 1024 * 1024);
    const res = await sendPlayground({ method: 'GET', url, headers: [], body: '', sign: null });
    expect(res.status).toBe(200);
    expect(res.bodyTruncated).toBe(true);
    expect(res.body.length).toBe(1024 * 1024);
    const attempt = await forwardOnce(core!.ctx, req, url, 1);
    expect(attempt.error).toBeNull();
    expect(attempt.responseExcerpt).toHaveLength(2000);
  });
});
