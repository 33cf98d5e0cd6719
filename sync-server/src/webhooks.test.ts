import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { startReceiver, type TestReceiver } from '../../main/core/testing/webhook-receiver.ts';
import { DIALECTS, startTestServer, type TestServer } from './testing/harness.ts';

type Server = TestServer & { cleanup(): Promise<void> };

let seq = 0;
const event = (over: Record<string, unknown> = {}) => ({
  id: `evt_t${process.pid}_${++seq}`,
  event: 'investigation.created',
  timestamp: '2026-12-04T10:00:00.000Z',
  data: { id: 'inv_1', name: 'Acme' },
  ...over,
});

/** Team webhooks and events on one server (SPEC §3.3, §3.9), on SQLite and on a fresh PostgreSQL database. */
describe.each(DIALECTS)('team webhooks on %s', (dialect) => {
  let s: Server;
  let rx: TestReceiver;
  let a: { adminToken: string; teamId: string };
  let b: { adminToken: string; teamId: string };

  beforeAll(async () => {
    rx = await startReceiver();
    // Loopback is private: the operator allow-lists it, as a team would its own subnet.
    s = await startTestServer(dialect, {
      config: { delivery: { concurrency: 16, leaseMs: 10_000, pollMs: 50, allowSubnets: ['127.0.0.0/8'] } },
      delivery: { policy: { delaysMs: [100], jitter: 0, maxRetryAfterMs: 60_000 }, random: () => 0.5 },
    });
    a = await s.team('alpha');
    b = await s.team('beta');
  });
  afterAll(async () => {
    await s?.cleanup();
    await rx?.close();
  });

  const create = (token: string, body: Record<string, unknown>) => s.req('POST', '/api/v1/webhooks', { token, body });
  const deliveries = async (token: string, id: string) => (await s.req('GET', `/api/v1/webhooks/${id}/deliveries`, { token })).body.items;

  it('an event is delivered once to each subscribed webhook, signed both ways and verifiable with the reference libraries; the same id again is a duplicate', async () => {
    rx.behave((_r, _i, res) => void res.writeHead(200).end('ok'));
    const hook = await create(a.adminToken, { url: rx.url, events: ['investigation.created'], headers: { 'x-team-key': 'k-123' } });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    expect(hook.body.headers).toEqual({ 'x-team-key': '[redacted]' });
    await create(a.adminToken, { url: rx.url, events: ['report.generated'] }); // not subscribed: gets nothing
    const before = rx.received.length;
    const ev = event();
    const first = await s.req('POST', '/api/v1/events', { token: a.adminToken, body: ev });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: ev.id, deliveries: 1 });
    const again = await s.req('POST', '/api/v1/events', { token: a.adminToken, body: { ...ev, data: { other: true } } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ duplicate: true });
    const got = (await rx.waitFor(before + 1)).slice(before);
    const req = got[0]!;
    expect(req.headers['webhook-id']).toBe(ev.id);
    expect(req.headers['x-webhook-event']).toBe('investigation.created');
    expect(req.headers['x-team-key']).toBe('k-123');
    expect(req.headers['user-agent']).toMatch(/^Dossier-Webhook\//);
    expect(JSON.parse(req.body)).toEqual({ id: ev.id, event: 'investigation.created', timestamp: ev.timestamp, data: ev.data, webhook_id: hook.body.id });
    expect(() => new StandardWebhook(hook.body.secret).verify(req.body, req.headers as Record<string, string>)).not.toThrow();
    expect(await verifyGithub(hook.body.secret, req.body, String(req.headers['x-webhook-signature']))).toBe(true);
    // The same id from another team is that team's own event, not a duplicate.
    expect((await s.req('POST', '/api/v1/events', { token: b.adminToken, body: ev })).status).toBe(202);
    const list = await deliveries(a.adminToken, hook.body.id);
    expect(list).toHaveLength(1);
    await expect.poll(async () => (await deliveries(a.adminToken, hook.body.id))[0].status).toBe('succeeded');
    const stats = (await s.req('GET', `/api/v1/webhooks/${hook.body.id}`, { token: a.adminToken })).body.stats;
    expect(stats).toMatchObject({ total: 1, succeeded: 1, failed: 0, successRate: 1 });
    expect(stats.latencyP50Ms).not.toBeNull();
  });

  it('3xx fails and is retried on the schedule, Retry-After on 503 replaces it, the last failure dead-letters, a replay delivers it again with the same webhook-id', async () => {
    const hook = (await create(a.adminToken, { url: rx.url, events: ['entity.discovered'] })).body;
    const answers = [
      (res: import('node:http').ServerResponse) => res.writeHead(302, { location: 'http://elsewhere/' }).end(),
      (res: import('node:http').ServerResponse) => res.writeHead(503, { 'retry-after': '0' }).end(),
    ];
    let n = 0;
    rx.behave((_r, _i, res) => void (n < answers.length ? answers[n++]!(res) : res.writeHead(200).end()));
    const before = rx.received.length;
    const ev = event({ event: 'entity.discovered' });
    await s.req('POST', '/api/v1/events', { token: a.adminToken, body: ev });
    await rx.waitFor(before + 2);
    await expect.poll(async () => (await deliveries(a.adminToken, hook.id))[0].status).toBe('dead');
    const [d] = await deliveries(a.adminToken, hook.id);
    expect(d.history.map((h: { status_code: number; error_code: string }) => [h.status_code, h.error_code])).toEqual([
      [302, 'http_3xx'],
      [503, 'http_5xx'],
    ]);
    const replay = await s.req('POST', `/api/v1/webhooks/deliveries/${d.id}/replay`, { token: a.adminToken });
    expect(replay.status).toBe(202);
    const got = await rx.waitFor(before + 3);
    expect(got[before + 2]!.headers['webhook-id']).toBe(ev.id);
    await expect.poll(async () => (await deliveries(a.adminToken, hook.id))[0]).toMatchObject({ status: 'succeeded', chain: 1, attempts: 1 });
    // Replaying what is not finished is a conflict.
    expect((await s.req('POST', `/api/v1/webhooks/deliveries/${d.id}/replay`, { token: a.adminToken })).status).toBe(202);
    expect((await s.req('POST', `/api/v1/webhooks/deliveries/${d.id}/replay`, { token: a.adminToken })).status).toBe(409);
  });

  it('Retry-After on 429 sets the next attempt; 410 disables the webhook', async () => {
    const hook = (await create(a.adminToken, { url: rx.url, events: ['watch.changed'] })).body;
    rx.behave((_r, _i, res) => void res.writeHead(429, { 'retry-after': '30' }).end());
    const before = rx.received.length;
    await s.req('POST', '/api/v1/events', { token: a.adminToken, body: event({ event: 'watch.changed' }) });
    await rx.waitFor(before + 1);
    await expect.poll(async () => (await deliveries(a.adminToken, hook.id))[0].status).toBe('failed');
    const [d] = await deliveries(a.adminToken, hook.id);
    expect(Date.parse(d.next_attempt_at) - Date.parse(d.updated_at)).toBe(30_000);

    const gone = (await create(a.adminToken, { url: rx.url, events: ['site.degraded'] })).body;
    rx.behave((_r, _i, res) => void res.writeHead(410).end());
    await s.req('POST', '/api/v1/events', { token: a.adminToken, body: event({ event: 'site.degraded' }) });
    await expect.poll(async () => (await s.req('GET', `/api/v1/webhooks/${gone.id}`, { token: a.adminToken })).body.active).toBe(false);
    const after = (await s.req('GET', `/api/v1/webhooks/${gone.id}`, { token: a.adminToken })).body;
    expect(after.disabled_reason).toMatch(/410/);
    expect((await deliveries(a.adminToken, gone.id))[0].status).toBe('dead');
    // A disabled webhook gets no new deliveries until it is enabled again.
    expect((await s.req('POST', '/api/v1/events', { token: a.adminToken, body: event({ event: 'site.degraded' }) })).body.deliveries).toBe(0);
    const enabled = await s.req('PATCH', `/api/v1/webhooks/${gone.id}`, { token: a.adminToken, body: { active: true } });
    expect(enabled.body).toMatchObject({ active: true, disabled_reason: null });
  });

  it('bad input is 400 and creates nothing', async () => {
    const count = async () => (await s.req('GET', '/api/v1/webhooks', { token: a.adminToken })).body.items.length;
    const n = await count();
    for (const body of [
      { url: 'ftp://x/', events: ['job.created'] },
      { url: rx.url, events: ['no.such'] },
      { url: rx.url, events: [] },
      { url: rx.url, events: ['job.created'], headers: { 'webhook-signature': 'forged' } },
      { url: rx.url, events: ['job.created'], timeout_ms: 60_000 },
    ]) {
      const res = await create(a.adminToken, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    expect(await count()).toBe(n);
    for (const body of [
      { id: 'x', event: 'nope', timestamp: '2026-12-04T10:00:00Z', data: {} },
      { id: 'bad id!', event: 'job.created', timestamp: '2026-12-04T10:00:00Z', data: {} },
      { id: 'e1', event: 'job.created', timestamp: 'yesterday', data: {} },
    ]) {
      expect((await s.req('POST', '/api/v1/events', { token: a.adminToken, body })).status).toBe(400);
    }
  });

  it("another team's webhook and delivery ids answer 404 on every route and are left alone; lists show only the caller's team", async () => {
    rx.behave((_r, _i, res) => void res.writeHead(200).end());
    const theirs = (await create(a.adminToken, { url: rx.url, events: ['report.shared'] })).body;
    await s.req('POST', '/api/v1/events', { token: a.adminToken, body: event({ event: 'report.shared' }) });
    await expect.poll(async () => (await deliveries(a.adminToken, theirs.id))[0]?.status).toBe('succeeded');
    const deliveryId = (await deliveries(a.adminToken, theirs.id))[0].id;
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/v1/webhooks/${theirs.id}`],
      ['PATCH', `/api/v1/webhooks/${theirs.id}`, { active: false }],
      ['DELETE', `/api/v1/webhooks/${theirs.id}`],
      ['GET', `/api/v1/webhooks/${theirs.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${theirs.id}/test`, {}],
      ['POST', `/api/v1/webhooks/deliveries/${deliveryId}/replay`],
    ];
    for (const [method, path, body] of routes) {
      const res = await s.req(method, path, { token: b.adminToken, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    for (const [method, path, body] of [
      ...routes,
      ['GET', '/api/v1/webhooks'],
      ['POST', '/api/v1/webhooks', { url: rx.url, events: ['job.created'] }],
      ['POST', '/api/v1/events', event()],
    ] as [string, string, unknown?][]) {
      expect((await s.req(method, path, { token: null, body })).status, `${method} ${path} without a token`).toBe(401);
    }
    const mine = await s.req('GET', `/api/v1/webhooks/${theirs.id}`, { token: a.adminToken });
    expect(mine.body).toMatchObject({ active: true, stats: { total: 1, succeeded: 1 } });
    expect((await s.req('GET', '/api/v1/webhooks', { token: b.adminToken })).body.items).toEqual([]);
    // An event of team beta reaches none of alpha's webhooks.
    expect((await s.req('POST', '/api/v1/events', { token: b.adminToken, body: event({ event: 'report.shared' }) })).body.deliveries).toBe(0);
  });

  it('a test delivery is attempted now and answered with its result', async () => {
    rx.behave((_r, _i, res) => void res.writeHead(201, { 'content-type': 'text/plain' }).end('x'.repeat(1500)));
    const hook = (await create(a.adminToken, { url: rx.url, events: ['job.created'] })).body;
    const res = await s.req('POST', `/api/v1/webhooks/${hook.id}/test`, { token: a.adminToken, body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', status_code: 201, error: null });
    expect(res.body.response_body).toHaveLength(1000);
    expect(rx.received.at(-1)!.headers['x-webhook-event']).toBe('webhook.test');
  });
});

describe('SSRF guard on the server (SYNC_ALLOW_SUBNETS)', () => {
  let rx: TestReceiver;
  const servers: Server[] = [];
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(async () => {
    await Promise.all(servers.map((x) => x.cleanup()));
    await rx?.close();
  });

  it('loopback and private destinations are refused at connect time without the allow-list (by address and by name), and delivered with it', async () => {
    const closed = await startTestServer('sqlite', { config: { delivery: { concurrency: 4, leaseMs: 10_000, pollMs: 50, allowSubnets: [] } } });
    servers.push(closed);
    const t = await closed.team('t');
    const port = new URL(rx.url).port;
    for (const url of [rx.url, `http://localhost:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`, 'http://10.255.255.1:9/hook']) {
      const hook = (await closed.req('POST', '/api/v1/webhooks', { token: t.adminToken, body: { url, events: ['job.created'] } })).body;
      const res = await closed.req('POST', `/api/v1/webhooks/${hook.id}/test`, { token: t.adminToken, body: {} });
      expect(res.body, url).toMatchObject({ status: 'dead', status_code: null, error_code: 'ssrf_blocked' });
    }
    // Through the worker too: an event to a loopback webhook is dead-lettered, never retried.
    const hook = (await closed.req('POST', '/api/v1/webhooks', { token: t.adminToken, body: { url: rx.url, events: ['batch.completed'] } })).body;
    await closed.req('POST', '/api/v1/events', { token: t.adminToken, body: event({ event: 'batch.completed' }) });
    await expect
      .poll(async () => (await closed.req('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { token: t.adminToken })).body.items[0]?.history[0]?.error_code)
      .toBe('ssrf_blocked');
    expect((await closed.req('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { token: t.adminToken })).body.items[0].status).toBe('dead');
    expect(rx.connections).toBe(0);

    const open = await startTestServer('sqlite', { config: { delivery: { concurrency: 4, leaseMs: 10_000, pollMs: 50, allowSubnets: ['127.0.0.1/32'] } } });
    servers.push(open);
    const t2 = await open.team('t');
    const ok = (await open.req('POST', '/api/v1/webhooks', { token: t2.adminToken, body: { url: rx.url, events: ['job.created'] } })).body;
    expect((await open.req('POST', `/api/v1/webhooks/${ok.id}/test`, { token: t2.adminToken, body: {} })).body).toMatchObject({
      status: 'succeeded',
      status_code: 200,
    });
    // The allow-list is that subnet only: another private range stays refused.
    const other = (await open.req('POST', '/api/v1/webhooks', { token: t2.adminToken, body: { url: 'http://10.255.255.1:9/hook', events: ['job.created'] } }))
      .body;
    expect((await open.req('POST', `/api/v1/webhooks/${other.id}/test`, { token: t2.adminToken, body: {} })).body.error_code).toBe('ssrf_blocked');
  });
});
