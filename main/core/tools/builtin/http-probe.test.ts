import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startHttpsFixture } from '../../testing/fixtures/https-server.ts';
import { toolHarness, type ToolHarness } from '../../testing/tool-harness.ts';
import { ToolError } from '../types.ts';
import { isAbort } from '../invoke.ts';
import { closeHttpAgents } from '../http.ts';

const HOME = '<!doctype html><html><head><title>Probe &amp; Test</title></head><body>hello</body></html>';
let site: Awaited<ReturnType<typeof startHttpsFixture>>;
let h: ToolHarness;

beforeAll(async () => {
  site = await startHttpsFixture(['probe.test', 'www.probe.test', '*.cdn.probe.test'], (req, res) => {
    if (req.url === '/') {
      res.writeHead(301, { location: '/home', server: 'fixture/1.0' });
      return res.end();
    }
    if (req.url === '/home') {
      res.writeHead(200, { 'content-type': 'text/html', server: 'fixture/1.0' });
      return res.end(HOME);
    }
    if (req.url === '/down') {
      res.writeHead(503, { 'retry-after': '5' });
      return res.end('down');
    }
    if (req.url === '/hang') return; // never answers
    res.writeHead(404);
    res.end('nope');
  });
  h = await toolHarness();
});
afterAll(async () => {
  await h.dispose();
  await closeHttpAgents();
  await site.close();
});

describe('http.probe', () => {
  it('records status, title, server, the redirect chain and the certificate names', async () => {
    const run = await h.run('http.probe', { type: 'url', value: `${site.url}/` });
    expect(run.status).toBe('succeeded');
    const out = run.output as Record<string, unknown> & { certificate: { names: string[]; selfSigned: boolean; subject: string } };
    expect(out).toMatchObject({
      status: 200,
      title: 'Probe & Test',
      server: 'fixture/1.0',
      finalUrl: `${site.url}/home`,
      redirects: [{ url: `${site.url}/`, status: 301, location: `${site.url}/home` }],
      sha256: createHash('sha256').update(HOME).digest('hex'),
    });
    expect(out.certificate.names).toEqual(['probe.test', 'www.probe.test', '*.cdn.probe.test']);
    expect(out.certificate).toMatchObject({ subject: 'probe.test', selfSigned: true });
    const domains = run.entities.filter((e) => e.type === 'domain').map((e) => e.value).sort();
    expect(domains).toEqual(['cdn.probe.test', 'probe.test', 'www.probe.test']);
    expect(run.entities.filter((e) => e.type === 'url').map((e) => e.value)).toContain(`${site.url}/home`);
    const links = (await h.core.call('links.list', { investigationId: h.inv })).items.map((l) => l.type).sort();
    expect(links).toEqual(['certificate_for', 'certificate_for', 'certificate_for', 'redirects_to']);
  });

  it('records a 404 as what the server said, not as a failure', async () => {
    const run = await h.run('http.probe', { type: 'url', value: `${site.url}/missing` }, { certificate: false });
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.output).toMatchObject({ status: 404, certificate: null });
  });

  it('probes an account at its profile URL (the pivot after username.sites) and refuses one that is not a URL', async () => {
    const run = await h.run('http.probe', { type: 'account', value: `${site.url}/home` });
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({ status: 200, title: 'Probe & Test' });
    expect(run.entities.find((e) => e.type === 'account')?.value).toBe(`${site.url}/home`);
    const before = await h.counts();
    await expect(h.run('http.probe', { type: 'account', value: 'alice on FxStatus' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not a profile URL/) });
    expect(await h.counts()).toEqual(before);
  });

  it('refuses bad input and writes nothing', async () => {
    const before = await h.counts();
    await expect(h.run('http.probe', { type: 'url', value: 'ftp://example.test/' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('http.probe', { type: 'domain', value: 'no spaces.test' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('http.probe', { type: 'url', value: `${site.url}/` }, { maxRedirects: 99 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.counts()).toEqual(before);
  });

  it('classifies 503 and a refused connection as transient', async () => {
    const down = await h.invoke('http.probe', { type: 'url', value: `${site.url}/down` });
    expect((down as { error: ToolError }).error).toMatchObject({ kind: 'transient', httpStatus: 503, retryAfterMs: 5000 });
    const refused = await h.invoke('http.probe', { type: 'url', value: 'http://127.0.0.1:1/' });
    expect((refused as { error: ToolError }).error.kind).toBe('transient');
  });

  it('aborts a request the server never answers', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const r = await h.invoke('http.probe', { type: 'url', value: `${site.url}/hang` }, {}, ctrl.signal);
    expect(isAbort((r as { error: Error }).error)).toBe(true);
  });
});
