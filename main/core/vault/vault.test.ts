import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { createLogger } from '../log.ts';
import { closeHttpAgents } from '../tools/http.ts';
import { runTool } from '../tools/run.ts';
import { Vault } from './vault.ts';
import { toolHarness } from '../testing/tool-harness.ts';
import { isAbort } from '../tools/invoke.ts';
import { KeyFileSecretBox } from '../crypto/secret-box.ts';

const SECRET = 'sk_live_' + randomBytes(12).toString('hex');
const lines: string[] = [];
const log = createLogger({ level: 'trace', destination: { write: (s: string) => void lines.push(s) } });

let api: Server;
let apiUrl: string;
const seenAuth: string[] = [];

beforeAll(async () => {
  api = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seenAuth.push(String(req.headers.authorization ?? url.searchParams.get('key') ?? ''));
    const authorized = req.headers.authorization === `Bearer ${SECRET}` || url.searchParams.get('key') === SECRET;
    if (!authorized) {
      // A careless API that echoes what it was sent: the tool must not pass this on.
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'bad key', got: req.headers.authorization ?? url.searchParams.get('key') }));
    }
    if (url.pathname === '/v1/hang') return;
    if (url.pathname === '/v1/broken') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: 'internal', echo: SECRET }));
    }
    const q = url.searchParams.get('q') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ query: q, results: [{ email: `${q}@corp.test`, handle: q, profile: `https://social.test/${q}` }, { email: `${q}.alt@corp.test`, handle: `${q}_alt` }], echo: SECRET }));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeHttpAgents();
  api.closeAllConnections();
  await new Promise<void>((r) => api.close(() => r()));
});

const apiParams = (extra: Record<string, unknown> = {}) => ({
  url: `${apiUrl}/v1/search?q={input}`,
  credential: 'corp-api',
  records: '$.results[*]',
  mappings: [
    { type: 'email', from: '$.email', link: 'has_email' },
    { type: 'url', from: '$.profile', label: '$.handle' },
  ],
  ...extra,
});

describe('credentials vault and http.api', () => {
  it('seals secrets at rest, lists names only, and never lets a secret reach a log line, an error, a run, an entity or an event', async () => {
    const core = await tempCore({ log });
    const events: string[] = [];
    core.bus.subscribe((e) => events.push(JSON.stringify(e)));
    try {
      const keyMode = statSync(join(core.dataDir, 'secret.key')).mode & 0o777;
      expect(keyMode).toBe(0o600);
      const info = await core.call('credentials.set', { name: 'corp-api', secret: SECRET, description: 'Corp search API' });
      expect(info).toMatchObject({ name: 'corp-api', boxKind: 'keyfile' });
      expect(JSON.stringify(await core.call('credentials.list', {}))).not.toContain(SECRET);
      const row = core.ctx.sqlite.prepare('select value_sealed from credentials where name = ?').get('corp-api') as { value_sealed: string };
      expect(row.value_sealed).not.toContain(SECRET);
      expect(await new Vault(core.ctx.db, core.ctx.secrets).reveal('corp-api')).toBe(SECRET);

      const inv = (await core.call('investigations.create', { name: 'api' })).id;
      const ok = await runTool(core.ctx, { investigationId: inv, tool: 'http.api', input: { type: 'username', value: 'jdoe' }, params: apiParams() });
      expect(ok.status).toBe('succeeded');
      expect(ok.entities.map((e) => `${e.type}:${e.value}`)).toEqual(['email:jdoe@corp.test', 'url:https://social.test/jdoe', 'email:jdoe.alt@corp.test']);
      expect(ok.entities.find((e) => e.type === 'url')!.label).toBe('jdoe');
      expect(seenAuth.at(-1)).toBe(`Bearer ${SECRET}`);

      const viaQuery = await runTool(core.ctx, { investigationId: inv, tool: 'http.api', input: { type: 'username', value: 'kim' }, params: apiParams({ auth: 'query', authName: 'key' }) });
      expect(viaQuery.status).toBe('succeeded');
      expect(viaQuery.entities[0]!.evidence!.finalUrl).toContain('key=%5Bredacted%5D');

      const broken = await runTool(core.ctx, { investigationId: inv, tool: 'http.api', input: { type: 'username', value: 'x' }, params: apiParams({ url: `${apiUrl}/v1/broken?q={input}`, auth: 'query', authName: 'key' }) });
      expect(broken).toMatchObject({ status: 'failed', errorKind: 'transient' });
      await core.call('credentials.set', { name: 'wrong', secret: 'not-the-key' });
      const denied = await runTool(core.ctx, { investigationId: inv, tool: 'http.api', input: { type: 'username', value: 'x' }, params: apiParams({ credential: 'wrong' }) });
      expect(denied).toMatchObject({ status: 'failed', errorKind: 'permanent' });
      const missing = await runTool(core.ctx, { investigationId: inv, tool: 'http.api', input: { type: 'username', value: 'x' }, params: apiParams({ credential: 'nope' }) });
      expect(missing).toMatchObject({ status: 'failed', errorKind: 'permanent', error: 'credential "nope" is not set' });
      await expect(core.call('credentials.set', { name: 'bad name!', secret: SECRET })).rejects.toMatchObject({ code: 'invalid_input' });

      // Everything the test produced that a person or another system could see.
      const runs = core.ctx.sqlite.prepare('select * from tool_runs').all();
      const entities = core.ctx.sqlite.prepare('select * from entities').all();
      const outbox = core.ctx.sqlite.prepare('select * from outbox').all();
      const errors: unknown[] = [];
      for (const p of [core.call('credentials.set', { name: 'x', secret: '' }), core.call('credentials.delete', { name: 'never-set' })]) {
        errors.push(await p.catch((e: Error) => ({ message: e.message, json: JSON.stringify(e) })));
      }
      const visible = JSON.stringify({ runs, entities, outbox, errors, events }) + lines.join('');
      expect(lines.length).toBeGreaterThan(0);
      expect(visible).not.toContain(SECRET);
    } finally {
      await core.dispose();
    }
  });

  it('refuses to open secrets with a different key file, without echoing anything', async () => {
    const dir = tempDir();
    const first = await tempCore({ dataDir: dir, log });
    await first.call('credentials.set', { name: 'corp-api', secret: SECRET });
    await first.close();
    writeFileSync(join(dir, 'secret.key'), randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    const second = await tempCore({ dataDir: dir, log });
    try {
      const err = await new Vault(second.ctx.db, second.ctx.secrets).reveal('corp-api').catch((e: Error) => e);
      expect(err).toMatchObject({ code: 'forbidden' });
      expect(String((err as Error).message)).not.toContain(SECRET);
      const inv = (await second.call('investigations.create', { name: 'api' })).id;
      const run = await runTool(second.ctx, { investigationId: inv, tool: 'http.api', input: { type: 'username', value: 'x' }, params: apiParams() });
      expect(run).toMatchObject({ status: 'failed', errorKind: 'permanent', error: expect.stringContaining('cannot be decrypted') });
      // Names are still listed, so the user knows what to set again.
      expect((await second.call('credentials.list', {})).map((c) => c.name)).toEqual(['corp-api']);
      await second.call('credentials.delete', { name: 'corp-api' });
      expect(await second.call('credentials.list', {})).toEqual([]);
    } finally {
      await second.dispose();
    }
    const bad = join(tempDir(), 'secret.key');
    writeFileSync(bad, 'short\n', { mode: 0o600 });
    expect(() => new KeyFileSecretBox(bad)).toThrow(/32-byte/);
    expect(lines.join('')).not.toContain(SECRET);
  });

  it('http.api refuses bad params before anything is written, and aborts a request in flight', async () => {
    const h = await toolHarness({ log });
    try {
      await h.core.call('credentials.set', { name: 'corp-api', secret: SECRET });
      const before = await h.counts();
      await expect(h.run('http.api', { type: 'username', value: 'a' }, apiParams({ url: 'file:///etc/passwd' }))).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(h.run('http.api', { type: 'username', value: 'a' }, apiParams({ auth: 'header' }))).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(h.run('http.api', { type: 'username', value: 'a' }, apiParams({ mappings: [] }))).rejects.toMatchObject({ code: 'invalid_input' });
      expect(await h.counts()).toEqual(before);
      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), 50);
      const r = await h.invoke('http.api', { type: 'username', value: 'a' }, apiParams({ url: `${apiUrl}/v1/hang?q={input}` }), ctrl.signal);
      expect(isAbort((r as { error: Error }).error)).toBe(true);
    } finally {
      await h.dispose();
    }
    expect(lines.join('')).not.toContain(SECRET);
  });
});
