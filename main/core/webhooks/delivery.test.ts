import { afterEach, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { writeEvent } from '../events/outbox.ts';
import type { WebhookEventType } from '../../../preload/contract/event-types.ts';
import type { CoreOptions } from '../core.ts';
import { ok, startReceiver, type TestReceiver } from '../testing/webhook-receiver.ts';
import type { Resolver } from './delivery/ssrf.ts';
import { until } from '../testing/until.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const resolver: Resolver = async (h) => (h === 'intranet.example' ? [{ address: '10.20.30.40', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);

async function core(opts: Partial<CoreOptions> & { keep?: boolean } = {}): Promise<Core> {
  const c = await tempCore({ webhooks: { resolver, pollMs: 20 }, ...opts });
  cleanups.push(() => (opts.keep ? c.close() : c.dispose()));
  // A short schedule: attempt, then 3 retries 40 ms apart.
  await c.call('settings.set', { key: 'webhooks.retrySchedule', value: [40, 40, 40] });
  await c.call('settings.set', { key: 'webhooks.retryJitter', value: 0 });
  c.webhooks.config.invalidate();
  return c;
}

async function receiver(b = ok): Promise<TestReceiver> {
  const r = await startReceiver(b);
  cleanups.push(() => r.close());
  return r;
}

async function fire(c: Core, type: WebhookEventType = 'entity.discovered', data: unknown = { entity: { type: 'email', value: 'a@example.com' } }) {
  return c.ctx.db.transaction().execute((trx) => writeEvent(trx, type, data));
}

const deliveryOf = (c: Core, webhookId: string) =>
  c.ctx.db.selectFrom('deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('created_at').execute();
const settled = (c: Core, webhookId: string, status: string, n = 1) =>
  until(async () => {
    const ds = await deliveryOf(c, webhookId);
    return ds.filter((d) => d.status === status).length >= n && ds;
  });

describe('webhook delivery', () => {
  it('delivers signed events to subscribed, active webhooks only, verifiable by independent code', async () => {
    const c = await core();
    const rx = await receiver();
    const a = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true, headers: { 'X-Team': 'blue' } });
    await c.call('webhooks.create', { url: rx.url, events: ['batch.completed'], allowPrivateNetwork: true });
    const off = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true, active: false });
    await c.startWorkers();
    const ev = await fire(c);
    const [got] = await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.received).toHaveLength(1);
    const h = got!.headers as Record<string, string>;
    expect(new StandardWebhook(a.secret).verify(got!.body, h)).toMatchObject({ id: ev.id, event: 'entity.discovered', webhook_id: a.id });
    expect(await verifyGithub(a.secret, got!.body, h['x-webhook-signature']!)).toBe(true);
    expect(h['webhook-id']).toBe(ev.id);
    expect(h['user-agent']).toBe(`Dossier-Webhook/${c.ctx.version}`);
    expect(h['x-webhook-event']).toBe('entity.discovered');
    expect(Date.parse(h['x-webhook-timestamp']!)).toBe(Number(h['webhook-timestamp']) * 1000);
    expect(h['x-team']).toBe('blue');
    expect(JSON.parse(got!.body)).toEqual({
      id: ev.id,
      event: 'entity.discovered',
      timestamp: new Date(ev.createdAt).toISOString(),
      data: ev.data,
      webhook_id: a.id,
    });
    const [d] = await settled(c, a.id, 'succeeded');
    expect(d).toMatchObject({ attempts: 1, last_status_code: 200 });
    expect(await deliveryOf(c, off.id)).toHaveLength(0);
    const outbox = await c.ctx.db.selectFrom('outbox').select('dispatched_at').execute();
    expect(outbox.every((o) => o.dispatched_at !== null)).toBe(true);
  });

  it('a receiver that fails then recovers gets the same webhook-id on the retry that succeeds', async () => {
    const c = await core();
    const rx = await receiver((_r, i, res) => void res.writeHead(i < 2 ? 500 : 200).end(i < 2 ? 'boom' : 'fine'));
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await c.startWorkers();
    const ev = await fire(c);
    await rx.waitFor(3);
    const [d] = await settled(c, w.id, 'succeeded');
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([ev.id, ev.id, ev.id]);
    for (const r of rx.received) expect(new StandardWebhook(w.secret).verify(r.body, r.headers as Record<string, string>)).toBeTruthy();
    const detail = await c.call('webhooks.deliveries.get', { id: d!.id });
    expect(detail.attempts).toBe(3);
    expect(detail.attemptsLog.map((a) => [a.number, a.statusCode, a.errorCode])).toEqual([
      [3, 200, null],
      [2, 500, 'http_5xx'],
      [1, 500, 'http_5xx'],
    ]);
    expect(detail.attemptsLog[2]!.responseBody).toBe('boom');
  });

  it('a receiver that always fails is dead-lettered after the last attempt, then a replay succeeds with the same webhook-id', async () => {
    const c = await core();
    const rx = await receiver((_r, _i, res) => void res.writeHead(503).end('x'.repeat(5000)));
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await c.startWorkers();
    const ev = await fire(c);
    const [d] = await settled(c, w.id, 'dead');
    expect(rx.received).toHaveLength(4); // attempt + 3 retries
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.received).toHaveLength(4);
    const dead = await c.call('webhooks.deliveries.get', { id: d!.id });
    expect(dead.attemptsLog[0]!.responseBody).toHaveLength(1000);
    rx.behave(ok);
    const replayed = await c.call('webhooks.deliveries.replay', { id: d!.id });
    expect(replayed.status).toBe('succeeded');
    expect(replayed.attempts).toBe(1);
    expect(replayed.attemptsLog[0]).toMatchObject({ chain: 1, number: 1, statusCode: 200 });
    expect(replayed.attemptsLog).toHaveLength(5);
    expect(rx.received.at(-1)!.headers['webhook-id']).toBe(ev.id);
    expect(new StandardWebhook(w.secret).verify(rx.received.at(-1)!.body, rx.received.at(-1)!.headers as Record<string, string>)).toBeTruthy();
  });

  it('410 Gone disables the webhook and stops delivering to it', async () => {
    const c = await core();
    const rx = await receiver((_r, _i, res) => void res.writeHead(410).end());
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await c.startWorkers();
    await fire(c);
    await settled(c, w.id, 'dead');
    const after = await c.call('webhooks.get', { id: w.id });
    expect(after.active).toBe(false);
    expect(after.disabledReason).toMatch(/410/);
    await fire(c);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toHaveLength(1);
    expect(await deliveryOf(c, w.id)).toHaveLength(1);
  });

  it('301 is a failure and the redirect is not followed', async () => {
    const c = await core();
    const target = await receiver();
    const rx = await receiver((_r, _i, res) => void res.writeHead(301, { location: target.url }).end());
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await c.startWorkers();
    await fire(c);
    const [d] = await settled(c, w.id, 'dead');
    expect(target.received).toHaveLength(0);
    const detail = await c.call('webhooks.deliveries.get', { id: d!.id });
    expect(detail.attemptsLog[0]).toMatchObject({ statusCode: 301, errorCode: 'http_3xx' });
    expect(detail.attemptsLog[0]!.error).toMatch(/not followed/);
  });

  it('Retry-After on 429 is honoured instead of the (much shorter) schedule', async () => {
    const c = await core();
    const rx = await receiver((_r, i, res) => void (i === 0 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end()));
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await c.startWorkers();
    await fire(c);
    await rx.waitFor(2);
    expect(rx.received[1]!.at - rx.received[0]!.at).toBeGreaterThanOrEqual(950);
    await settled(c, w.id, 'succeeded');
  });

  it('a slow receiver times out and is retried', async () => {
    const c = await core();
    const rx = await receiver((_r, i, res) => {
      if (i === 0) setTimeout(() => res.writeHead(200).end('late'), 5000);
      else res.writeHead(200).end('quick');
    });
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true, timeoutMs: 1000 });
    await c.startWorkers();
    await fire(c);
    const [d] = await settled(c, w.id, 'succeeded');
    const detail = await c.call('webhooks.deliveries.get', { id: d!.id });
    expect(detail.attemptsLog.map((a) => a.errorCode)).toEqual([null, 'timeout']);
    expect(detail.attemptsLog[1]!.durationMs).toBeGreaterThanOrEqual(950);
    expect(detail.attemptsLog[1]!.durationMs).toBeLessThan(4500);
  });

  it('a slow webhook does not delay another webhook’s deliveries', async () => {
    const c = await core();
    await c.call('settings.set', { key: 'webhooks.concurrencyPerWebhook', value: 2 });
    c.webhooks.config.invalidate();
    const slow = await receiver((_r, _i, res) => void setTimeout(() => res.writeHead(200).end(), 8000));
    const fast = await receiver();
    await c.call('webhooks.create', { url: slow.url, events: ['entity.discovered'], allowPrivateNetwork: true, timeoutMs: 15_000 });
    await c.call('webhooks.create', { url: fast.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await c.startWorkers();
    for (let i = 0; i < 8; i++) await fire(c);
    await fast.waitFor(8, 6000);
    // The slow one holds only its own slots: two requests in flight, none answered yet.
    expect(slow.received.length).toBeLessThanOrEqual(2);
  });

  it('the SSRF guard refuses private destinations at delivery time (ssrf_blocked attempt, receiver never connected) unless allowed', async () => {
    const c = await core();
    const rx = await receiver();
    const blocked = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'] });
    const named = await c.call('webhooks.create', { url: `http://intranet.example:${rx.port}/hook`, events: ['entity.discovered'] });
    const meta = await c.call('webhooks.create', { url: 'http://169.254.169.254/latest/meta-data/', events: ['entity.discovered'] });
    const allowed = await c.call('webhooks.create', {
      url: rx.url.replace('127.0.0.1', 'localhost'),
      events: ['entity.discovered'],
      allowPrivateNetwork: true,
    });
    await c.startWorkers();
    await fire(c);
    for (const w of [blocked, named, meta]) {
      const [d] = await settled(c, w.id, 'dead');
      const detail = await c.call('webhooks.deliveries.get', { id: d!.id });
      expect(detail.attemptsLog).toHaveLength(1); // not retried: retrying cannot help
      expect(detail.attemptsLog[0]).toMatchObject({ errorCode: 'ssrf_blocked', statusCode: null });
    }
    await settled(c, allowed.id, 'succeeded');
    expect(rx.received).toHaveLength(1);
    expect(rx.connections).toBe(1);
  });

  it('an event committed while no worker runs is delivered exactly once after a restart', async () => {
    const dataDir = tempDir();
    const rx = await receiver();
    const a = await core({ dataDir, keep: true });
    const w = await a.call('webhooks.create', { url: rx.url, events: ['investigation.created'], allowPrivateNetwork: true });
    const inv = await a.call('investigations.create', { name: 'Committed while closed' });
    await a.close();
    expect(rx.received).toHaveLength(0);

    const b = await core({ dataDir });
    await b.startWorkers();
    await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(rx.received).toHaveLength(1);
    expect(JSON.parse(rx.received[0]!.body).data.investigation.id).toBe(inv.id);
    const ds = await deliveryOf(b, w.id);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('a delivery due while the app was closed goes out on start, and one left in flight by a crash is reclaimed', async () => {
    const dataDir = tempDir();
    const rx = await receiver((_r, i, res) => void res.writeHead(i === 0 ? 500 : 200).end());
    const a = await core({ dataDir, keep: true });
    const w = await a.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await a.startWorkers();
    await fire(a);
    await rx.waitFor(1);
    await a.close(); // the retry (due in 40 ms) has not happened yet
    const b = await core({ dataDir });
    // Simulate a crash mid-attempt on another delivery: claimed with a lease that has already expired.
    await b.ctx.db.transaction().execute((trx) => writeEvent(trx, 'entity.discovered', { n: 2 }));
    b.webhooks.dispatchOnce();
    const second = (await deliveryOf(b, w.id)).find((d) => d.status === 'pending')!;
    await b.ctx.db
      .updateTable('deliveries')
      .set({ status: 'delivering', claim_id: 'clm_dead', lease_until: Date.now() - 1 })
      .where('id', '=', second.id)
      .execute();
    await b.startWorkers();
    await settled(b, w.id, 'succeeded', 2);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(2);
    expect(rx.received).toHaveLength(3);
  });

  it('when recording fails (e.g. disk full) the outcome is kept and committed later, without sending again', async () => {
    const c = await core({ log: (await import('pino')).pino({ level: 'silent' }) });
    const rx = await receiver();
    const w = await c.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    c.ctx.sqlite.exec(`create trigger attempts_down before insert on delivery_attempts begin select raise(abort, 'disk full'); end;`);
    await c.startWorkers();
    await fire(c);
    await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await deliveryOf(c, w.id))[0]!.status).toBe('delivering');
    c.ctx.sqlite.exec('drop trigger attempts_down');
    await settled(c, w.id, 'succeeded');
    expect(rx.received).toHaveLength(1);
    expect(await c.ctx.db.selectFrom('delivery_attempts').selectAll().execute()).toHaveLength(1);
  });

  it('a worker renews the claims it holds, so a slow request is not taken over by another worker', async () => {
    const dataDir = tempDir();
    const rx = await receiver((_r, _i, res) => void setTimeout(() => res.writeHead(200).end(), 1500));
    // A 300 ms lease: without renewal the other worker would reclaim and send again long before the answer.
    const a = await core({ dataDir, keep: true, webhooks: { resolver, pollMs: 20, leaseMs: 300 } });
    const b = await core({ dataDir, webhooks: { resolver, pollMs: 20, leaseMs: 300 } });
    const w = await a.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    await fire(a);
    await Promise.all([a.startWorkers(), b.startWorkers()]);
    await settled(a, w.id, 'succeeded');
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toHaveLength(1);
    expect((await deliveryOf(a, w.id))[0]).toMatchObject({ attempts: 1 });
  });

  it('two workers on one database attempt each delivery once', async () => {
    const dataDir = tempDir();
    const rx = await receiver((_r, _i, res) => void setTimeout(() => res.writeHead(200).end(), 5));
    const a = await core({ dataDir, keep: true });
    const b = await core({ dataDir });
    const w = await a.call('webhooks.create', { url: rx.url, events: ['entity.discovered'], allowPrivateNetwork: true });
    for (let i = 0; i < 60; i++) await fire(a, 'entity.discovered', { i });
    await Promise.all([a.startWorkers(), b.startWorkers()]);
    await settled(a, w.id, 'succeeded', 60);
    await new Promise((r) => setTimeout(r, 200));
    const ids = rx.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    const attempts = await a.ctx.db.selectFrom('delivery_attempts').select('id').execute();
    expect(attempts).toHaveLength(60);
  });
});
