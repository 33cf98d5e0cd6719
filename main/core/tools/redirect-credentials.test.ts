import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeHttpAgents, httpRequest } from './http.ts';
import { startHttpsFixture } from '../testing/fixtures/https-server.ts';
import { toolHarness, type ToolHarness } from '../testing/tool-harness.ts';
import { DIRECT } from '../egress/egress.ts';

const SECRET = 'sk_live_redirect_canary_5bd1';

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A server that records every request it gets (the "other host" a 302 names). */
async function recorder(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/same')) {
        res.writeHead(302, { location: '/landed' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: [{ email: 'x@corp.test' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

let other: Awaited<ReturnType<typeof recorder>>;
let origin: Awaited<ReturnType<typeof recorder>>;
let redirector: Server;
let redirectorUrl: string;

beforeAll(async () => {
  other = await recorder();
  origin = await recorder();
  redirector = createServer((req, res) => {
    const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 302);
    req.resume();
    res.writeHead(status, { location: `${other.url}/landed` });
    res.end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeHttpAgents();
  for (const s of [other.server, origin.server, redirector]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});
beforeEach(() => {
  other.seen.length = 0;
  origin.seen.length = 0;
});

const signal = () => new AbortController().signal;

describe('credentials never follow a redirect to another origin', () => {
  it('drops credential headers on a hop to another port, keeps them on the same origin', async () => {
    const headers = { Authorization: `Bearer ${SECRET}`, 'X-Api-Key': SECRET, 'X-Gitlab-Token': SECRET, Cookie: `s=${SECRET}`, 'X-Custom': SECRET, accept: 'application/json' };
    const r = await httpRequest({ url: `${redirectorUrl}/go`, headers, credentialHeaders: ['x-custom'], maxRedirects: 3, signal: signal(), egress: DIRECT });
    expect(r.status).toBe(200);
    expect(other.seen).toHaveLength(1);
    expect(JSON.stringify(other.seen[0])).not.toContain(SECRET);
    expect(other.seen[0]!.headers.accept).toBe('application/json');

    await httpRequest({ url: `${origin.url}/same`, headers: { authorization: `Bearer ${SECRET}` }, maxRedirects: 3, signal: signal(), egress: DIRECT });
    expect(origin.seen.map((s) => [s.url, s.headers.authorization])).toEqual([
      ['/same', `Bearer ${SECRET}`],
      ['/landed', `Bearer ${SECRET}`],
    ]);
  });

  it('refuses a cross-origin 307 that would resend a credentialed body, and https to http', async () => {
    await expect(
      httpRequest({ url: `${redirectorUrl}/go?status=307`, method: 'POST', body: `{"key":"${SECRET}"}`, credentialed: true, maxRedirects: 3, signal: signal(), egress: DIRECT }),
    ).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/resend a body/) });
    const tls = await startHttpsFixture(['localhost'], (_req, res) => {
      res.writeHead(302, { location: `${other.url}/downgraded` });
      res.end();
    });
    try {
      await expect(httpRequest({ url: tls.url, headers: { 'x-custom': SECRET }, credentialed: true, insecureTls: true, maxRedirects: 3, signal: signal(), egress: DIRECT })).rejects.toMatchObject({
        kind: 'permanent',
        message: expect.stringMatching(/https to http/),
      });
    } finally {
      await tls.close();
    }
    expect(other.seen).toEqual([]);
  });

  describe('http.api', () => {
    let h: ToolHarness;
    beforeAll(async () => {
      h = await toolHarness();
      await h.core.call('credentials.set', { name: 'corp', secret: SECRET });
    });
    afterAll(() => h.dispose());

    it.each([
      ['bearer', {}],
      ['header (custom name)', { auth: 'header', authName: 'X-Client' }],
      ['custom header template', { auth: 'query', authName: 'k', headers: { 'X-Client': '{credential}' } }],
    ])('a 302 to another port never carries the secret (%s)', async (_name, extra) => {
      const params = { url: `${redirectorUrl}/v1?q={input}`, credential: 'corp', records: '$.results[*]', mappings: [{ type: 'email', from: '$.email' }], ...extra };
      const r = await h.invoke('http.api', { type: 'username', value: 'jdoe' }, params);
      expect(other.seen).toHaveLength(1);
      expect(JSON.stringify(other.seen)).not.toContain(SECRET);
      expect(r.ok).toBe(true);
    });
  });
});
