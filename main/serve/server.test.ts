import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../core/testing/temp-core.ts';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSP, startServer, type RunningServer } from './server.ts';
import { mountBatchUploads } from './batch-upload.ts';
import type { CoreEventEnvelope } from '../../preload/contract/events.ts';
import { unknownMethodError } from '../../preload/contract/index.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let server: RunningServer;

beforeEach(async () => {
  core = await tempCore({ mode: 'browser' });
  // A static dir without index.html keeps these tests independent of a renderer build.
  server = await startServer({ core, port: 0, staticDir: core.dataDir });
});
afterEach(async () => {
  await server.close();
  await core.dispose();
});

function callApi(method: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What the store holds: the proof that a refused request changed nothing. */
async function stored() {
  const list = await core.call('investigations.list', {});
  const outbox = await core.ctx.db.selectFrom('outbox').select('id').execute();
  return { investigations: list.total, outbox: outbox.length };
}

/** fetch() will not let us forge Host, so this goes through node:http. */
function rawPost(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser-mode bridge: guards', () => {
  it('refuses a call without the token and creates nothing', async () => {
    const res = await fetch(`${server.url}/api/call/investigations.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no token' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(await stored()).toEqual({ investigations: 0, outbox: 0 });
  });

  it('refuses a wrong token, and a token in the query string of an API call', async () => {
    // Flip the last character to one it cannot be (replacing it with a fixed 'x' was the real token 1 run in 64).
    const last = server.token.slice(-1);
    const wrongToken = `${server.token.slice(0, -1)}${last === 'x' ? 'y' : 'x'}`;
    expect(wrongToken).not.toBe(server.token);
    const wrong = await callApi('investigations.create', { name: 'wrong token' }, { authorization: `Bearer ${wrongToken}` });
    expect(wrong.status).toBe(401);
    const query = await fetch(`${server.url}/api/call/investigations.create?token=${server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'query token' }),
    });
    expect(query.status).toBe(401);
    expect(await stored()).toEqual({ investigations: 0, outbox: 0 });
  });

  it('refuses a foreign Origin even with the right token, and creates nothing', async () => {
    const res = await callApi('investigations.create', { name: 'csrf' }, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const opaque = await callApi('investigations.create', { name: 'csrf' }, { origin: 'null' });
    expect(opaque.status).toBe(403);
    expect(await stored()).toEqual({ investigations: 0, outbox: 0 });
  });

  it('accepts its own Origin', async () => {
    const res = await callApi('investigations.create', { name: 'same origin' }, { origin: server.url });
    expect(res.status).toBe(200);
    expect((await stored()).investigations).toBe(1);
  });

  it('refuses a foreign Host header (DNS rebinding) and creates nothing', async () => {
    const res = await rawPost(
      '/api/call/investigations.create',
      { host: `evil.example:${server.port}`, 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      JSON.stringify({ name: 'rebinding' }),
    );
    expect(res.status).toBe(403);
    expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('forbidden');
    expect(await stored()).toEqual({ investigations: 0, outbox: 0 });
  });

  it('accepts localhost:PORT as Host', async () => {
    const res = await rawPost(
      '/api/call/investigations.create',
      { host: `localhost:${server.port}`, 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      JSON.stringify({ name: 'loopback name' }),
    );
    expect(res.status).toBe(200);
  });

  it('refuses to bind anything but loopback', async () => {
    await expect(startServer({ core, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('browser-mode bridge: calls', () => {
  it('creates and reads back through the contract', async () => {
    const res = await callApi('investigations.create', { name: 'Case A', tags: ['x'] });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { id: string; name: string; tags: string[] } };
    expect(result).toMatchObject({ name: 'Case A', tags: ['x'] });
    const got = await callApi('investigations.get', { id: result.id });
    expect(((await got.json()) as { result: { name: string } }).result.name).toBe('Case A');
  });

  it('answers invalid input with the typed error and creates nothing', async () => {
    const res = await callApi('investigations.create', { name: '   ' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/name/);
    expect(await stored()).toEqual({ investigations: 0, outbox: 0 });
  });

  it('answers a missing record with not_found', async () => {
    const res = await callApi('investigations.get', { id: 'inv_missing' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('answers an unknown method with 404 and the same typed error as every face', async () => {
    const res = await callApi('investigations.explode', {});
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: unknown }).error).toEqual(unknownMethodError('investigations.explode').toJSON());
  });

  it('refuses a local method (it would run in the server instead of the caller)', async () => {
    const res = await callApi('batches.runHere', { id: 'bat_x' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('answers malformed JSON with a typed 400 and creates nothing', async () => {
    const res = await callApi('investigations.create', '{"name": "half');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    expect(await stored()).toEqual({ investigations: 0, outbox: 0 });
  });
});

describe('browser-mode bridge: events', () => {
  it('streams core events over SSE after a create', async () => {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/events?token=${encodeURIComponent(server.token)}`, { signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();

    let buffer = '';
    const events: CoreEventEnvelope[] = [];
    const comments: string[] = [];
    /** Read until `done` says so; each SSE message ends with a blank line. */
    async function readUntil(done: () => boolean) {
      while (!done()) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('event stream ended early');
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of message.split('\n')) {
            if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as CoreEventEnvelope);
            else if (line.startsWith(':')) comments.push(line.slice(1).trim());
          }
        }
      }
    }
    // The server writes a comment once subscribed; only then is a create sure to be seen.
    await readUntil(() => comments.includes('connected'));
    expect(events).toEqual([]);

    const created = (await (await callApi('investigations.create', { name: 'Live' })).json()) as { result: { id: string } };
    await callApi('entities.add', { investigationId: created.result.id, type: 'email', value: 'A@Example.com' });
    await readUntil(() => events.some((e) => e.name === 'entities.changed'));
    abort.abort();

    expect(events[0]).toMatchObject({ name: 'investigation.changed', payload: { id: created.result.id, kind: 'created' } });
    expect(events.find((e) => e.name === 'entities.changed')).toMatchObject({
      payload: { investigationId: created.result.id, added: 1, removed: 0 },
    });
  });

  it('refuses the event stream without the token', async () => {
    const res = await fetch(`${server.url}/api/events`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`${server.url}/api/events?token=nope`);
    expect(wrong.status).toBe(401);
  });
});

describe('browser-mode bridge: files only as uploads', () => {
  let up: RunningServer;
  beforeEach(async () => {
    up = await startServer({ core, port: 0, staticDir: core.dataDir, extend: (api) => mountBatchUploads(api, core) });
  });
  afterEach(async () => {
    await up.close();
  });
  const call = (method: string, body: unknown) =>
    fetch(`${up.url}/api/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${up.token}` },
      body: JSON.stringify(body),
    });

  it('refuses every method that would read a local path, and reads nothing', async () => {
    const secret = join(core.dataDir, 'not-for-pages.txt');
    writeFileSync(secret, 'alice@example.com\n');
    const inv = (await core.call('investigations.create', { name: 'Paths' })).id;
    const attempts: [string, unknown][] = [
      ['batches.previewFile', { path: secret }],
      ['batches.create', { investigationId: inv, tool: 'email.parse', source: { kind: 'file', path: secret } }],
      ['reports.importInvestigation', { source: { path: secret } }],
      ['reports.importEntities', { investigationId: inv, source: { path: secret }, type: 'email', valueColumn: 'a' }],
    ];
    for (const [method, body] of attempts) {
      const res = await call(method, body);
      expect(res.status, method).toBe(403);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code, method).toBe('forbidden');
      expect(json.error.message).toMatch(/uploads only/);
    }
    expect((await core.call('batches.list', {})).total).toBe(0);
    expect((await core.call('investigations.list', {})).total).toBe(1);
  });

  it('an upload then works for the same methods', async () => {
    const res = await fetch(`${up.url}/api/batches/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${up.token}`, 'x-filename': encodeURIComponent('my list.txt') },
      body: 'a@example.com\nb@example.com\n',
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: { uploadId: string; filename: string } };
    expect(result.filename).toBe('my list.txt');
    const preview = await call('batches.previewFile', { uploadId: result.uploadId });
    expect(preview.status).toBe(200);
  });

  it('a malformed x-filename is a 400 and stores nothing', async () => {
    const res = await fetch(`${up.url}/api/batches/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${up.token}`, 'x-filename': '%E0%A4%A' },
      body: 'a@example.com\n',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
    expect(existsSync(join(core.dataDir, 'uploads')) ? readdirSync(join(core.dataDir, 'uploads')) : []).toEqual([]);
  });

  it('every route carries the CSP: API answers, errors, the event stream and the fallback page', async () => {
    const ok = await call('investigations.list', {});
    const unknown = await call('nope.nope', {});
    const unauth = await fetch(`${up.url}/api/call/investigations.list`, { method: 'POST' });
    const page = await fetch(`${up.url}/some/page`);
    const abort = new AbortController();
    const sse = await fetch(`${up.url}/api/events?token=${up.token}`, { signal: abort.signal });
    for (const res of [ok, unknown, unauth, page, sse]) {
      expect(res.headers.get('content-security-policy'), res.url).toBe(CSP);
    }
    abort.abort();
  });
});
