import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { toolHarness, type ToolHarness } from '../testing/tool-harness.ts';
import { startEgressOrigin, ORIGIN_CERT_NAMES, type EgressOrigin } from '../testing/fixtures/egress-origin.ts';
import { startHttpProxy, startSocksProxy, type ProxyFixture } from '../testing/fixtures/proxy-servers.ts';
import { startDnsFixture, type DnsFixture, type Zone } from '../testing/fixtures/dns-server.ts';
import { closeHttpAgents } from '../tools/http.ts';
import { defineTool } from '../tools/types.ts';
import type { ToolRunDetail } from '../../../preload/contract/tools.ts';
import type { Egress } from '../../../preload/contract/egress.ts';
import { commandEnvironment } from './env.ts';
import { toolEgress } from './egress.ts';

/**
 * Every networked tool through a local HTTP proxy and a local SOCKS5 server
 * that count what passes through them. The proxies connect out from
 * 127.0.0.2, so the origin tells a proxied connection (peer 127.0.0.2) from a
 * direct one (127.0.0.1).
 */

const ZONE: Zone = {
  'example.test': { A: ['192.0.2.10'], MX: [{ exchange: 'mx.example.test', priority: 10 }] },
};
const CLI = fileURLToPath(new URL('../testing/fixtures/proxy-env-cli.mjs', import.meta.url));

let origin: EgressOrigin;
let httpProxy: ProxyFixture;
let socks: ProxyFixture;
let authSocks: ProxyFixture;
let dns: DnsFixture;
let h: ToolHarness;
/** A port nothing listens on: a proxy that is down. */
let deadPort: number;
/** A fresh investigation per test, so finds (and their evidence) are this test's own. */
let inv: string;

const egressOf = (p: ProxyFixture, mode: 'http' | 'socks5'): Egress => ({ mode, host: '127.0.0.1', port: p.port });
const run = (tool: string, input: { type: string; value: string }, params: Record<string, unknown> = {}) =>
  h.core.call('tools.run', { investigationId: inv, tool, input: input as never, params }) as Promise<ToolRunDetail>;

beforeAll(async () => {
  origin = await startEgressOrigin(ZONE);
  const hosts = { 'origin.test': '127.0.0.1', 'doh.test': '127.0.0.1' };
  httpProxy = await startHttpProxy({ hosts });
  socks = await startSocksProxy({ hosts });
  authSocks = await startSocksProxy({ hosts, auth: { username: 'inv', password: 's3cret' } });
  dns = await startDnsFixture(ZONE);
  const dead = await startHttpProxy();
  deadPort = dead.port;
  await dead.close();
  h = await toolHarness();
  const site = (name: string, url: string) => ({ name, url, detect: { kinds: ['status_code'] }, claimed: 'alice', unclaimed: 'nobody-here' });
  writeFileSync(
    join(h.core.ctx.dataDir, 'sites.json'),
    JSON.stringify({
      format: 'dossier-sites',
      version: 1,
      written: '2026-12-03',
      sites: [site('EgA', `${origin.url}/u/{username}`), site('EgB', `${origin.url}/u/{username}?b`), site('EgNamed', `http://origin.test:${origin.port}/u/{username}`)],
    }),
  );
  await h.core.call('settings.set', { key: 'tools.dns.servers', value: dns.server });
  await h.core.call('settings.set', { key: 'tools.rdap.baseUrl', value: `${origin.url}/rdap` });
  await h.core.call('settings.set', { key: 'egress.dohUrl', value: `${origin.url}/dns-query` });
  await h.core.startWorkers(['executor']);
});
afterAll(async () => {
  await h.dispose();
  await closeHttpAgents();
  await Promise.all([origin.close(), httpProxy.close(), socks.close(), authSocks.close(), dns.close()]);
});
beforeEach(async () => {
  inv = (await h.core.call('investigations.create', { name: 'egress' })).id;
  await h.core.call('settings.set', { key: 'egress.default', value: 'direct' });
  await h.core.call('settings.set', { key: 'egress.tools', value: {} });
  // Fresh pools: a kept-alive connection from an earlier test would hide the connections a test counts.
  await closeHttpAgents();
  for (const f of [origin, httpProxy, socks, authSocks]) f.reset();
  dns.queries.length = 0;
});

/** One run of each networked tool, all against the origin on 127.0.0.1. */
async function everyTool(): Promise<ToolRunDetail[]> {
  const b = await h.core.call('batches.create', { investigationId: inv, tool: 'username.sites', params: { sites: 'EgA,EgB' }, source: { kind: 'list', values: ['alice', 'bob'] }, options: { retry: { attempts: 1 } } });
  const summary = await h.core.executor.waitFor(b.id);
  const runs = [
    await run('http.probe', { type: 'url', value: `${origin.httpsUrl}/` }),
    await run('http.api', { type: 'username', value: 'carol' }, { url: `${origin.url}/api/lookup?q={input}`, records: '$.results[*]', mappings: [{ type: 'email', from: '$.email' }] }),
    await run('rdap.lookup', { type: 'domain', value: 'example.test' }),
    await run('image.exif', { type: 'image', value: `${origin.url}/photo.jpg` }),
    await run('dns.resolve', { type: 'domain', value: 'example.test' }, { types: 'A,MX' }),
    await run('email.inspect', { type: 'email', value: 'dana@example.test' }),
  ];
  return Object.assign(runs, { batch: summary, batchId: b.id });
}

async function batchFinds() {
  const ents = (await h.core.call('entities.list', { investigationId: inv, type: 'account', limit: 1000 })).items;
  return ents;
}

describe.each([
  ['an HTTP proxy', 'http' as const, () => httpProxy],
  ['a SOCKS5 proxy', 'socks5' as const, () => socks],
])('through %s', (_name, mode, proxy) => {
  it('every tool connects only through the proxy (the origin sees the proxy as the peer, as many times as the proxy relayed)', async () => {
    const egress = egressOf(proxy(), mode);
    await h.core.call('settings.set', { key: 'egress.default', value: egress });
    const runs = (await everyTool()) as ToolRunDetail[] & { batch: { completed: number; failed: number }; batchId: string };
    expect(runs.batch).toMatchObject({ completed: 2, failed: 0 });
    for (const r of runs) expect({ tool: r.tool, status: r.status, error: r.error }).toEqual({ tool: r.tool, status: 'succeeded', error: null });
    const label = `${mode === 'socks5' ? 'socks5h' : 'http'}://127.0.0.1:${proxy().port}`;
    for (const r of runs) expect(r.egress).toBe(label);

    expect(origin.connections.length).toBeGreaterThan(0);
    expect(origin.peers()).toEqual({ '127.0.0.2': origin.connections.length });
    expect(proxy().targets.length).toBe(origin.connections.length);
    // DNS went over HTTPS through the proxy; the UDP resolver heard nothing.
    expect(dns.queries).toEqual([]);
    expect(origin.dohQueries.map((q) => q.type).sort()).toEqual(['A', 'MX', 'MX']);

    const [probe, api, rdap, exif, resolve] = runs;
    expect((probe!.output as { certificate: { names: string[] } }).certificate.names).toEqual(ORIGIN_CERT_NAMES);
    expect(api!.entities.map((e) => e.value)).toEqual(['carol@example.test']);
    expect(rdap!.summary).toContain('registrar');
    expect(exif!.entities.find((e) => e.type === 'location')?.value).toBe('48.858400,2.294500');
    expect(resolve!.entities.filter((e) => e.type === 'ip').map((e) => e.value)).toEqual(['192.0.2.10']);
    for (const r of runs) for (const e of r.entities) if (e.evidence) expect(e.evidence.egress).toBe(label);
    const accounts = await batchFinds();
    expect(accounts.map((e) => e.value).sort()).toEqual([`${origin.url}/u/alice`, `${origin.url}/u/alice?b`]);
    for (const a of accounts) expect(a.evidence?.egress).toBe(label);
  });

  it('with the proxy down, every tool fails naming the proxy and nothing connects directly', async () => {
    await h.core.call('settings.set', { key: 'egress.default', value: { mode, host: '127.0.0.1', port: deadPort } });
    const runs = (await everyTool()) as ToolRunDetail[] & { batch: { completed: number; failed: number }; batchId: string };
    expect(runs.batch).toMatchObject({ completed: 0, failed: 2 });
    const label = `${mode === 'socks5' ? 'socks5h' : 'http'}://127.0.0.1:${deadPort}`;
    // The message says the proxy is down, not that the site refused.
    const down = `the proxy ${label} could not be reached (ECONNREFUSED)`;
    for (const r of runs) {
      expect(r.status, r.tool).toBe('failed');
      expect(r.error, r.tool).toContain(down);
    }
    const ops = await h.core.call('batches.operations', { batchId: runs.batchId });
    expect(ops.items.map((op) => op.status)).toEqual(['failed', 'failed']);
    for (const op of ops.items) expect(op.error).toContain(down);
    expect(origin.connections).toEqual([]);
    expect(dns.queries).toEqual([]);
  }, 60_000);
});

describe('egress layers', () => {
  it('a batch option beats the global setting, a step param beats both, the per-tool setting beats the global one', async () => {
    await h.core.call('settings.set', { key: 'egress.default', value: egressOf(httpProxy, 'http') });
    const b = await h.core.call('batches.create', {
      investigationId: inv,
      tool: 'username.sites',
      params: { sites: 'EgA' },
      source: { kind: 'list', values: ['alice', 'bob', 'erin'] },
      options: { egress: egressOf(socks, 'socks5') },
    });
    expect((await h.core.executor.waitFor(b.id)).completed).toBe(3);
    expect(httpProxy.connections).toBe(0);
    expect(socks.targets.length).toBeGreaterThan(0);
    expect(origin.peers()).toEqual({ '127.0.0.2': socks.targets.length });

    // The template step's own egress param wins over the batch option.
    socks.reset();
    origin.reset();
    const t = await h.core.call('templates.create', {
      name: 'direct step',
      steps: [{ tool: 'username.sites', input: '{{user}}', params: { sites: 'EgA', egress: 'direct' } }],
    });
    const tb = await h.core.call('batches.create', { investigationId: inv, template: t.id, source: { kind: 'list', values: ['alice'] }, options: { egress: egressOf(socks, 'socks5') } });
    expect((await h.core.executor.waitFor(tb.id)).completed).toBe(1);
    expect(socks.connections).toBe(0);
    expect(httpProxy.connections).toBe(0);
    expect(origin.requestPeers()).toEqual({ '127.0.0.1': 1 });

    // Per tool: rdap.lookup direct while the rest goes through the proxy.
    origin.reset();
    await h.core.call('settings.set', { key: 'egress.tools', value: { 'rdap.lookup': 'direct' } });
    expect((await run('rdap.lookup', { type: 'domain', value: 'example.test' })).egress).toBe('direct');
    expect(origin.requestPeers()).toEqual({ '127.0.0.1': 1 });
    expect((await run('http.probe', { type: 'url', value: `${origin.httpsUrl}/` }, { certificate: false })).egress).toBe(`http://127.0.0.1:${httpProxy.port}`);
  });

  it('refuses a bad egress anywhere it can be given, before anything is written', async () => {
    const before = await h.counts();
    await expect(h.core.call('settings.set', { key: 'egress.default', value: 'ftp://x:1' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.core.call('settings.set', { key: 'egress.default', value: { mode: 'socks5', host: '127.0.0.1', port: 0 } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(run('rdap.lookup', { type: 'domain', value: 'example.test' }, { egress: 'gopher://x' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      h.core.call('batches.create', { investigationId: inv, tool: 'rdap.lookup', source: { kind: 'list', values: ['example.test'] }, options: { egress: { mode: 'http', host: '', port: 1 } } as never }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.core.call('templates.create', { name: 'bad egress', steps: [{ tool: 'rdap.lookup', input: '{{d}}', params: { egress: 'socks5h://h' + ':99999' } }] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.counts()).toEqual(before);
    expect(origin.connections).toEqual([]);
  });
});

describe('a tool that cannot honour the egress', () => {
  it('refuses with egress_unsupported instead of connecting directly', async () => {
    await h.core.call('settings.set', { key: 'egress.default', value: egressOf(socks, 'socks5') });
    const before = await h.counts();
    // UDP DNS servers named by hand cannot go through a proxy.
    await expect(run('dns.resolve', { type: 'domain', value: 'example.test' }, { servers: dns.server })).rejects.toMatchObject({ code: 'egress_unsupported', message: expect.stringContaining('DNS-over-HTTPS') });
    await expect(run('email.inspect', { type: 'email', value: 'a@example.test' }, { servers: dns.server })).rejects.toMatchObject({ code: 'egress_unsupported' });
    // A tool that declares no egress support (a plugin written before egress) is refused too.
    h.core.ctx.tools.register(
      defineTool({ name: 'test.legacy', title: 'Legacy', description: 'No egress declared.', accepts: ['other'] as const, params: z.object({}), hosts: () => [], rateLimit: { perSecond: 1, burst: 1 }, run: async () => ({ entities: [], links: [], summary: 'ran' }) }),
    );
    await expect(run('test.legacy', { type: 'other', value: 'x' })).rejects.toMatchObject({ code: 'egress_unsupported' });
    expect(await h.counts()).toEqual(before);
    expect(dns.queries).toEqual([]);

    // In a batch the operation fails permanently with the same code, and is not retried.
    const b = await h.core.call('batches.create', { investigationId: inv, tool: 'test.legacy', source: { kind: 'list', values: ['x'] } });
    const s = await h.core.executor.waitFor(b.id);
    expect(s).toMatchObject({ completed: 0, failed: 1 });
    const ops = await h.core.call('batches.operations', { batchId: b.id });
    expect(ops.items[0]!.error).toContain('egress_unsupported');
    expect(ops.items[0]!.attempts).toBe(1);

    // Offline tools run under any egress.
    expect((await run('phone.parse', { type: 'phone', value: '+33 1 23 45 67 89' })).status).toBe('succeeded');
  });
});

describe('SOCKS5 with socks5h', () => {
  it('sends names to the proxy and asks no local resolver', async () => {
    await h.core.call('settings.set', { key: 'egress.default', value: `socks5h://127.0.0.1:${socks.port}` });
    await h.core.call('settings.set', { key: 'egress.dohUrl', value: `http://doh.test:${origin.port}/dns-query` });
    try {
      const sites = await run('username.sites', { type: 'username', value: 'alice' }, { sites: 'EgNamed' });
      expect(sites.summary).toContain('claimed on 1 of 1 site');
      const probe = await run('http.probe', { type: 'url', value: `https://origin.test:${origin.httpsPort}/` });
      expect(probe.status).toBe('succeeded');
      expect((probe.output as { certificate: { names: string[] } }).certificate.names).toContain('origin.test');
      const resolved = await run('dns.resolve', { type: 'domain', value: 'example.test' }, { types: 'A' });
      expect(resolved.entities.map((e) => e.value)).toContain('192.0.2.10');
      expect(resolved.entities.find((e) => e.type === 'ip')!.evidence!.resolver).toBe(`doh http://doh.test:${origin.port}/dns-query via socks5h://127.0.0.1:${socks.port}`);
    } finally {
      await h.core.call('settings.set', { key: 'egress.dohUrl', value: `${origin.url}/dns-query` });
    }
    // Names such as origin.test exist only at the proxy: reaching them at all proves nothing resolved them here.
    expect(socks.targets.map((t) => `${t.kind} ${t.host}`)).toEqual(['socks-domain origin.test', 'socks-domain origin.test', 'socks-domain origin.test', 'socks-domain doh.test']);
    expect(dns.queries).toEqual([]);
    expect(origin.peers()).toEqual({ '127.0.0.2': 4 });

    // The control: the same DNS fixture does hear a direct lookup.
    await h.core.call('settings.set', { key: 'egress.default', value: 'direct' });
    await run('dns.resolve', { type: 'domain', value: 'example.test' }, { types: 'A' });
    expect(dns.queries.length).toBe(1);
  });
});

describe('proxy credentials from the vault', () => {
  it('authenticates with the credential and refuses to run without it', async () => {
    await h.core.call('credentials.set', { name: 'socks-auth', secret: 'inv:s3cret' });
    await h.core.call('settings.set', { key: 'egress.default', value: `socks5h://127.0.0.1:${authSocks.port}?credential=socks-auth` });
    const ok = await run('rdap.lookup', { type: 'domain', value: 'example.test' });
    expect(ok.status).toBe('succeeded');
    expect(ok.egress).toBe(`socks5h://127.0.0.1:${authSocks.port} (credential socks-auth)`);
    expect(JSON.stringify(ok)).not.toContain('s3cret');
    expect(authSocks.authFailures).toBe(0);
    expect(origin.peers()).toEqual({ '127.0.0.2': 1 });

    await h.core.call('settings.set', { key: 'egress.default', value: `socks5h://127.0.0.1:${authSocks.port}?credential=missing` });
    await expect(run('rdap.lookup', { type: 'domain', value: 'example.test' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('credential "missing" is not set') });
    // Without a credential the proxy refuses, and the run fails instead of going direct.
    await h.core.call('settings.set', { key: 'egress.default', value: `socks5h://127.0.0.1:${authSocks.port}` });
    const refused = await run('rdap.lookup', { type: 'domain', value: 'example.test' });
    expect(refused.status).toBe('failed');
    expect(origin.connections.length).toBe(1);
  });
});

describe('command', () => {
  it('gives the program the proxy in HTTPS_PROXY/ALL_PROXY, and a program that honours it goes through the proxy', async () => {
    await h.core.call('settings.set', { key: 'egress.default', value: egressOf(httpProxy, 'http') });
    const r = await run('command', { type: 'url', value: `${origin.url}/ip` }, { command: process.execPath, args: [CLI, '{input}'], parser: 'json', mappings: [{ type: 'ip', from: '$.answer.ip' }] });
    expect(r.status).toBe('succeeded');
    expect(r.entities.map((e) => e.value)).toEqual(['127.0.0.2']);
    expect(r.entities[0]!.evidence!.egress).toBe(`http://127.0.0.1:${httpProxy.port}`);
    expect(r.output).toMatchObject({ egress: `http://127.0.0.1:${httpProxy.port}`, proxyEnv: expect.arrayContaining(['HTTPS_PROXY', 'ALL_PROXY']) });
    expect(httpProxy.targets.length).toBe(1);

    // Direct: no proxy variable reaches the program, even one inherited from Dossier's own environment.
    process.env.HTTPS_PROXY = `http://127.0.0.1:${deadPort}`;
    try {
      await h.core.call('settings.set', { key: 'egress.default', value: 'direct' });
      const d = await run('command', { type: 'url', value: `${origin.url}/ip` }, { command: process.execPath, args: [CLI, '{input}'], parser: 'json', mappings: [{ type: 'ip', from: '$.answer.ip' }] });
      expect(d.entities.map((e) => e.value)).toEqual(['127.0.0.1']);
    } finally {
      delete process.env.HTTPS_PROXY;
    }
  });
});

describe('commandEnvironment', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/inv', TMPDIR: '/tmp', LC_ALL: 'C.UTF-8', GITHUB_TOKEN: 'ghp_secret', HTTP_PROXY: 'http://elsewhere:3128', no_proxy: '*', PYTHONPATH: '/opt/py' };
  it('under a proxy: the minimal base, the proxy (with its credential) in every proxy variable, nothing inherited', () => {
    const e = toolEgress({ mode: 'socks5', host: '127.0.0.1', port: 9050, credential: 'tor' }, 'u:p w');
    expect(commandEnvironment(base, e, ['PYTHONPATH'], 'linux')).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/inv',
      TMPDIR: '/tmp',
      LC_ALL: 'C.UTF-8',
      PYTHONPATH: '/opt/py',
      HTTPS_PROXY: 'socks5h://u:p%20w@127.0.0.1:9050',
      HTTP_PROXY: 'socks5h://u:p%20w@127.0.0.1:9050',
      ALL_PROXY: 'socks5h://u:p%20w@127.0.0.1:9050',
      https_proxy: 'socks5h://u:p%20w@127.0.0.1:9050',
      http_proxy: 'socks5h://u:p%20w@127.0.0.1:9050',
      all_proxy: 'socks5h://u:p%20w@127.0.0.1:9050',
    });
  });
  it('direct: no proxy variable; Windows keeps what a process needs to start', () => {
    expect(commandEnvironment(base, toolEgress({ mode: 'direct' }), [], 'linux')).toEqual({ PATH: '/usr/bin', HOME: '/home/inv', TMPDIR: '/tmp', LC_ALL: 'C.UTF-8' });
    const win = commandEnvironment({ Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', APPDATA: 'C:\\A', SECRET_KEY: 'x' }, toolEgress({ mode: 'direct' }), [], 'win32');
    expect(Object.keys(win).sort()).toEqual(['APPDATA', 'Path', 'SystemRoot']);
  });
});

describe('egress.test (the leak check)', () => {
  it('shows the address the echo service sees directly and through the proxy', async () => {
    const r = await h.core.call('egress.test', { egress: egressOf(socks, 'socks5'), echoUrl: `${origin.url}/ip` });
    expect(r).toMatchObject({
      egress: `socks5h://127.0.0.1:${socks.port}`,
      direct: { ok: true, address: '127.0.0.1' },
      proxied: { ok: true, address: '127.0.0.2' },
      sameAddress: false,
    });
    const down = await h.core.call('egress.test', { egress: { mode: 'http', host: '127.0.0.1', port: deadPort }, echoUrl: `${origin.url}/ip` });
    expect(down.direct.address).toBe('127.0.0.1');
    expect(down.proxied).toMatchObject({ ok: false, address: null, error: expect.stringContaining('ECONNREFUSED') });
    const direct = await h.core.call('egress.test', { egress: 'direct', echoUrl: `${origin.url}/ip` });
    expect(direct.sameAddress).toBe(true);
  });
});
