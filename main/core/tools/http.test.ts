import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSiteFixture, type SiteFixture } from '../testing/fixtures/site-fixture.ts';
import { closeHttpAgents, httpRequest, assertOk } from './http.ts';
import { ToolError, type HostGate } from './types.ts';
import { isAbort } from './errors.ts';
import { DIRECT } from '../egress/egress.ts';

let fx: SiteFixture;
let big: Server;
let bigUrl: string;
const BIG = Buffer.alloc(300_000, 'x');

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'], delayMs: 30 });
  big = createServer((req, res) => {
    if (req.url === '/hop1') {
      res.writeHead(302, { location: '/hop2' });
      return res.end();
    }
    if (req.url === '/hop2') {
      res.writeHead(301, { location: `${fx.url}/status/alice` });
      return res.end();
    }
    if (req.url === '/stall') return; // headers never come
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(BIG);
  });
  await new Promise<void>((r) => big.listen(0, '127.0.0.1', r));
  bigUrl = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeHttpAgents();
  await fx.close();
  big.closeAllConnections();
  await new Promise<void>((r) => big.close(() => r()));
});

const signal = () => new AbortController().signal;

describe('shared HTTP client', () => {
  it("keeps connections alive in a pool: a second wave of 250 requests at 25 at a time reuses the first wave's connections", async () => {
    const wave = async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 25 }, async () => {
          while (next < 250) {
            next++;
            expect((await httpRequest({ url: `${fx.url}/slow/alice`, signal: signal(), egress: DIRECT })).status).toBe(200);
          }
        }),
      );
    };
    await wave();
    const opened = fx.connections.opened;
    expect(fx.connections.closed).toBe(0);
    await wave();
    // Without pooling each request would open its own connection (250 more). Under CPU
    // contention undici may open a few spares while a socket is being returned, so the
    // bound is "fewer than one wave's parallelism", not zero.
    expect(fx.connections.opened - opened).toBeLessThan(25);
    expect(fx.connections.closed).toBe(0);
    expect(fx.hits.slow).toBe(500);
  });

  it('does not follow redirects unless asked, and records the chain when it does', async () => {
    const plain = await httpRequest({ url: `${bigUrl}/hop1`, signal: signal(), egress: DIRECT });
    expect(plain).toMatchObject({ status: 302, finalUrl: `${bigUrl}/hop1`, redirects: [] });
    expect(plain.headers.location).toBe('/hop2');
    const followed = await httpRequest({ url: `${bigUrl}/hop1`, signal: signal(), egress: DIRECT, maxRedirects: 5 });
    expect(followed.status).toBe(200);
    expect(followed.finalUrl).toBe(`${fx.url}/status/alice`);
    expect(followed.redirects.map((r) => r.status)).toEqual([302, 301]);
  });

  it('caps the body, marks it truncated and hashes the bytes kept; the hash of a full body matches the bytes served', async () => {
    const capped = await httpRequest({ url: `${bigUrl}/big`, signal: signal(), egress: DIRECT, maxBytes: 1000 });
    expect(capped.truncated).toBe(true);
    expect(capped.body.length).toBe(1000);
    expect(capped.sha256).toBe(createHash('sha256').update(BIG.subarray(0, 1000)).digest('hex'));
    const full = await httpRequest({ url: `${bigUrl}/big`, signal: signal(), egress: DIRECT });
    expect(full.truncated).toBe(false);
    expect(full.sha256).toBe(createHash('sha256').update(BIG).digest('hex'));
  });

  it('passes every request through the host gate and reports outcomes, Retry-After included', async () => {
    const calls: string[] = [];
    const gate: HostGate = {
      acquire: async (host) => void calls.push(`acquire ${host}`),
      report: (host, o) => void calls.push(`report ${host} ${o.ok} ${o.retryAfterMs ?? ''}`),
    };
    const host = new URL(fx.url).host;
    const limited = await httpRequest({ url: `${fx.url}/ratelimit/alice`, signal: signal(), egress: DIRECT, gate });
    expect(limited.retryAfterMs).toBe(7000);
    await httpRequest({ url: `${fx.url}/status/alice`, signal: signal(), egress: DIRECT, gate });
    expect(calls).toEqual([`acquire ${host}`, `report ${host} false 7000`, `acquire ${host}`, `report ${host} true `]);
    expect(() => assertOk(limited)).toThrow(ToolError);
    try {
      assertOk(limited);
    } catch (e) {
      expect(e).toMatchObject({ kind: 'transient', retryAfterMs: 7000, httpStatus: 429 });
    }
    const notFound = await httpRequest({ url: `${fx.url}/status/nobody`, signal: signal(), egress: DIRECT });
    expect(() => assertOk(notFound)).toThrow(expect.objectContaining({ kind: 'permanent', httpStatus: 404 }));
  });

  it('turns a refused connection, a reset and a timeout into transient errors, and an abort into an abort', async () => {
    const refused = await httpRequest({ url: 'http://127.0.0.1:1/', signal: signal(), egress: DIRECT }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'transient' });
    const reset = await httpRequest({ url: `${fx.url}/reset/alice`, signal: signal(), egress: DIRECT }).catch((e: unknown) => e);
    expect(reset).toMatchObject({ kind: 'transient' });
    const timeout = await httpRequest({ url: `${bigUrl}/stall`, signal: signal(), egress: DIRECT, timeoutMs: 150 }).catch((e: unknown) => e);
    expect(timeout).toMatchObject({ kind: 'transient', message: expect.stringContaining('timed out') });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 30);
    const aborted = await httpRequest({ url: `${bigUrl}/stall`, signal: ctrl.signal, egress: DIRECT }).catch((e: unknown) => e);
    expect(isAbort(aborted)).toBe(true);
    const badUrl = await httpRequest({ url: 'gopher://x', signal: signal(), egress: DIRECT }).catch((e: unknown) => e);
    expect(badUrl).toMatchObject({ kind: 'permanent' });
  });
});
