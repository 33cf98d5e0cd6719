import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from './testing/harness.ts';
import { openTestStream } from './testing/sse.ts';
import { manualEvery } from './testing/ticker.ts';
import { secondReader } from './testing/reader.ts';
import { channelByToken, storeRequest } from './channels/store.ts';
import { startServer } from './server.ts';
import { pino } from 'pino';
import { tempPgDatabase } from './testing/pg.ts';

type Server = TestServer & { cleanup(): Promise<void> };

/** POST raw bytes to a channel URL, as a provider would. */
async function postHook(url: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { id?: string; error?: { code: string } } | null, headers: res.headers };
}

describe.each(DIALECTS)('channels on %s', (dialect) => {
  let s: Server;
  const ticker = manualEvery();
  let alpha: { teamId: string; adminToken: string };
  let beta: { teamId: string; adminToken: string };
  let memberToken: string;

  beforeAll(async () => {
    s = await startTestServer(dialect, { every: ticker.every, config: { bodyLimit: 4096, streamPage: 2 } });
    alpha = await s.team('alpha');
    beta = await s.team('beta');
    memberToken = (await s.req('POST', '/api/v1/members', { token: alpha.adminToken, body: { name: 'mia', role: 'member' } })).body.token;
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  const create = async (token: string, name: string) => {
    const r = await s.req('POST', '/api/v1/channels', { token, body: { name } });
    expect(r.status).toBe(201);
    return r.body as { id: string; name: string; url: string };
  };
  const stream = (token: string, id: string, last?: string) => openTestStream(`${s.url}/api/v1/channels/${id}/stream`, token, last);

  it('create answers the URL once; list counts requests; every mutation is audited; bad input is 400 and changes nothing', async () => {
    const ch = await create(alpha.adminToken, 'github');
    expect(ch.id).toMatch(/^chn_/);
    expect(ch.url).toMatch(new RegExp(`^${s.url}/hooks/dst_[A-Za-z0-9_-]{43}$`));
    expect((await postHook(ch.url, '{}')).status).toBe(202);
    const list = await s.req('GET', '/api/v1/channels', { token: alpha.adminToken });
    expect(list.body.items).toEqual([{ id: ch.id, name: 'github', created_at: expect.any(String), created_by: 'admin', requests: 1 }]);
    expect((await s.req('POST', '/api/v1/channels', { token: alpha.adminToken, body: { name: '' } })).status).toBe(400);
    expect((await s.req('GET', '/api/v1/channels', { token: alpha.adminToken })).body.items).toHaveLength(1);
    const audit = await s.req('GET', '/api/v1/audit?since=0', { token: alpha.adminToken });
    expect(audit.body.items.filter((a: { action: string }) => a.action.startsWith('channel.'))).toEqual([
      expect.objectContaining({ action: 'channel.create', target: { type: 'channel', id: ch.id }, detail: { name: 'github' } }),
    ]);
  });

  it('another team sees none of it: list, delete and stream of its id answer 404; a member deletes only its own channels', async () => {
    const ch = await create(alpha.adminToken, 'private');
    expect((await s.req('GET', '/api/v1/channels', { token: beta.adminToken })).body.items).toEqual([]);
    expect((await s.req('DELETE', `/api/v1/channels/${ch.id}`, { token: beta.adminToken })).status).toBe(404);
    const foreign = await stream(beta.adminToken, ch.id);
    expect(foreign.status).toBe(404);
    expect((await s.req('GET', `/api/v1/channels/${ch.id}/stream`, { token: null })).status).toBe(401);
    expect((await s.req('DELETE', `/api/v1/channels/${ch.id}`, { token: memberToken })).status).toBe(403);
    const own = await create(memberToken, 'mine');
    expect((await s.req('DELETE', `/api/v1/channels/${own.id}`, { token: memberToken })).status).toBe(200);
    const del = await s.req('DELETE', `/api/v1/channels/${ch.id}`, { token: alpha.adminToken });
    expect(del.body).toEqual({ id: ch.id, deleted: true });
    // Its URL is gone with it.
    expect((await postHook(ch.url, 'x')).status).toBe(404);
    const audit = await s.req('GET', '/api/v1/audit?since=0', { token: alpha.adminToken });
    expect(audit.body.items.filter((a: { action: string }) => a.action === 'channel.delete').map((a: { target: { id: string } }) => a.target.id)).toEqual([
      own.id,
      ch.id,
    ]);
    expect(
      (await s.req('GET', '/api/v1/audit?since=0', { token: beta.adminToken })).body.items.some((a: { action: string }) => a.action.startsWith('channel.')),
    ).toBe(false);
  });

  it('stores method, query, headers and the raw bytes; 202 comes after the commit; unknown token 404; over the limit 413', async () => {
    const ch = await create(alpha.adminToken, 'raw');
    const binary = Buffer.from([0, 255, 1, 254, 0x1f, 0x8b, 10, 13, 0, 0x80]);
    const reader = secondReader(s);
    try {
      const r = await postHook(`${ch.url}?a=1&b=%20x`, binary, { 'X-Custom-Header': 'Kept As Sent' });
      expect(r.status).toBe(202);
      expect(r.body!.id).toMatch(/^chr_/);
      // Read through another connection right after the answer: it is there.
      const row = await reader.db.selectFrom('channel_requests').selectAll().where('id', '=', r.body!.id!).executeTakeFirstOrThrow();
      expect(Buffer.from(row.body).equals(binary)).toBe(true);
      expect(row).toMatchObject({ method: 'POST', query: 'a=1&b=%20x', size: binary.length, path: `/hooks/${ch.id}` });
      expect(JSON.parse(row.headers)).toContainEqual(['X-Custom-Header', 'Kept As Sent']);
    } finally {
      await reader.close();
    }
    const unknown = await postHook(`${s.url}/hooks/dst_${'A'.repeat(43)}`, 'x');
    expect(unknown.status).toBe(404);
    expect((await postHook(`${s.url}/hooks/not-a-token`, 'x')).status).toBe(404);
    const big = await postHook(ch.url, Buffer.alloc(4097, 1));
    expect(big.status).toBe(413);
    expect(big.body!.error!.code).toBe('payload_too_large');
    expect((await s.req('GET', '/api/v1/channels', { token: alpha.adminToken })).body.items.find((c: { id: string }) => c.id === ch.id).requests).toBe(1);
  });

  it('stream: replays from the database, then live; ids are the team sequence; retry, heartbeat and proxy headers', async () => {
    const ch = await create(alpha.adminToken, 'live');
    const json = Buffer.from('{ "a" :1,\n\t"b": [ 1 , 2 ]  }\n');
    await postHook(ch.url, json, { 'content-type': 'application/json' });
    await postHook(ch.url, Buffer.from([1, 2, 3]));
    await postHook(ch.url, 'third');
    const st = await stream(alpha.adminToken, ch.id);
    try {
      expect(st.status).toBe(200);
      expect(st.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(st.headers.get('x-accel-buffering')).toBe('no');
      expect(st.headers.get('content-encoding')).toBeNull();
      const first = await st.take(3);
      expect(first.map((e) => e.event)).toEqual(['request', 'request', 'request']);
      const ids = first.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const data = first.map((e) => JSON.parse(e.data) as { body_base64: string; method: string; headers: [string, string][] });
      expect(Buffer.from(data[0]!.body_base64, 'base64').equals(json)).toBe(true);
      expect(Buffer.from(data[1]!.body_base64, 'base64').equals(Buffer.from([1, 2, 3]))).toBe(true);
      expect(data[0]!.headers).toContainEqual(['content-type', 'application/json']);
      expect(st.retry).toBe(3000);
      // Live: posted while the stream is open.
      const live = await postHook(ch.url, 'fourth');
      const all = await st.take(4);
      expect(JSON.parse(all[3]!.data)).toMatchObject({ id: live.body!.id, method: 'POST' });
      expect(Number(all[3]!.id)).toBeGreaterThan(ids[2]!);
      const beat = st.heartbeat();
      ticker.tick();
      await beat;
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      expect(metrics).toMatch(/sync_sse_clients 1/);
      expect(metrics).toMatch(/sync_channel_requests_total\{outcome="stored"\} \d+/);
      expect(metrics).toMatch(/sync_channel_stream_lag_seconds_count \d+/);
    } finally {
      st.close();
      await st.ended;
    }
  });

  it('Last-Event-ID in the middle of a page (2 rows per read) resumes exactly after it; a bad one is 400', async () => {
    const ch = await create(alpha.adminToken, 'resume');
    for (let i = 0; i < 7; i++) await postHook(ch.url, `r${i}`);
    const all = await stream(alpha.adminToken, ch.id);
    const seen = await all.take(7);
    all.close();
    await all.ended;
    const bodies = (es: { data: string }[]) => es.map((e) => Buffer.from((JSON.parse(e.data) as { body_base64: string }).body_base64, 'base64').toString());
    expect(bodies(seen)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    // The third id sits in the middle of the second page of two.
    const from = await stream(alpha.adminToken, ch.id, seen[2]!.id);
    const rest = await from.take(4);
    expect(bodies(rest)).toEqual(['r3', 'r4', 'r5', 'r6']);
    expect(rest.map((e) => e.id)).toEqual(seen.slice(3).map((e) => e.id));
    from.close();
    await from.ended;
    expect((await stream(alpha.adminToken, ch.id, 'abc')).status).toBe(400);
  });

  it('a channel deleted under an open stream ends the stream', async () => {
    const ch = await create(alpha.adminToken, 'doomed');
    const st = await stream(alpha.adminToken, ch.id);
    await s.req('DELETE', `/api/v1/channels/${ch.id}`, { token: alpha.adminToken });
    await st.ended;
    expect(await st.take(1)).toEqual([]);
  });
});

describe.each(DIALECTS)('channel limits and timeouts on %s', (dialect) => {
  let s: Server;
  beforeAll(async () => {
    s = await startTestServer(dialect, {
      config: { rateLimit: { perMember: 1000, authFailuresPerIp: 100, perChannel: 5, perHookSource: 8 } },
      // Far shorter than any stream lives: the stream must not be cut by them.
      http: { requestTimeout: 300, headersTimeout: 200, connectionsCheckingInterval: 50 },
    });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('429 with Retry-After per channel, then per source address across channels; nothing over the limit is stored', async () => {
    const t = await s.team('limited');
    const a = (await s.req('POST', '/api/v1/channels', { token: t.adminToken, body: { name: 'a' } })).body as { id: string; url: string };
    const b = (await s.req('POST', '/api/v1/channels', { token: t.adminToken, body: { name: 'b' } })).body as { id: string; url: string };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await postHook(a.url, `a${i}`)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const other = [await postHook(b.url, 'b0'), await postHook(b.url, 'b1'), await postHook(b.url, 'b2')];
    expect(other.map((r) => r.status)).toEqual([202, 202, 429]);
    expect(Number(other[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(other[2]!.body!.error!.code).toBe('rate_limited');
    const list = (await s.req('GET', '/api/v1/channels', { token: t.adminToken })).body.items as { id: string; requests: number }[];
    expect(list.map((c) => c.requests)).toEqual([5, 2]);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/sync_channel_requests_total\{outcome="rate_limited"\} 2/);
  });

  it("a stream outlives Node's requestTimeout and headersTimeout", async () => {
    const t = await s.team('long');
    const ch = (await s.req('POST', '/api/v1/channels', { token: t.adminToken, body: { name: 'long' } })).body as { id: string; url: string };
    const st = await openTestStream(`${s.url}/api/v1/channels/${ch.id}/stream`, t.adminToken);
    try {
      // Real time must pass for the server's timeout checks (every 50 ms) to have their chance; nothing here is timed.
      await new Promise((r) => setTimeout(r, 800));
      // This server's per-source limit is spent by the test above, so the request is stored as the route would store it.
      const chRow = (await channelByToken(s.store.db, ch.url.split('/hooks/')[1]!))!;
      await storeRequest(s.store.db, s.ctx.channelSignal, chRow, {
        method: 'POST',
        path: '/x',
        query: '',
        headers: [],
        body: Buffer.from('late'),
        sourceIp: null,
        receivedAt: Date.now(),
      });
      const got = await st.take(1);
      expect(Buffer.from((JSON.parse(got[0]!.data) as { body_base64: string }).body_base64, 'base64').toString()).toBe('late');
    } finally {
      st.close();
      await st.ended;
    }
  });
});

describe('channel URL tokens and the request log', () => {
  it('the token in a channel URL never reaches a log line', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const s = await startTestServer('sqlite', { log });
    try {
      const t = await s.team();
      const ch = (await s.req('POST', '/api/v1/channels', { token: t.adminToken, body: { name: 'x' } })).body as { url: string };
      expect((await postHook(`${ch.url}?x=1`, 'hi')).status).toBe(202);
      const logged = lines.join('');
      expect(logged).toContain('/hooks/[redacted]');
      expect(logged).not.toContain(ch.url.split('/hooks/')[1]!);
    } finally {
      await s.cleanup();
    }
  });
});

describe('channel streams across two instances on one PostgreSQL database', () => {
  it('a request posted through one instance reaches a stream open on the other (LISTEN/NOTIFY), once', async () => {
    const db = await tempPgDatabase();
    const opts = { port: 0, databaseUrl: db.url, log: pino({ level: 'silent' }), poolSize: 3 };
    const [a, b] = await Promise.all([startServer(opts), startServer(opts)]);
    try {
      const { createTeam } = await import('./teams.ts');
      const t = await createTeam(a.store, 'two', 'admin');
      const created = await fetch(`${a.url}/api/v1/channels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
        body: '{"name":"x"}',
      });
      const ch = (await created.json()) as { id: string; url: string };
      const st = await openTestStream(`${a.url}/api/v1/channels/${ch.id}/stream`, t.token);
      // Posted to instance b (the URL names a's base; the path is what matters).
      const viaB = await postHook(`${b.url}/hooks/${ch.url.split('/hooks/')[1]}`, 'through b');
      expect(viaB.status).toBe(202);
      const got = await st.take(1);
      expect(JSON.parse(got[0]!.data)).toMatchObject({ id: viaB.body!.id });
      st.close();
      await st.ended;
      expect(got).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await db.drop();
    }
  });
});
