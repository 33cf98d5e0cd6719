import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { tempCore } from '../testing/temp-core.ts';
import { writeEvent } from '../events/outbox.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { WEBHOOK_EVENT_TYPES } from '../../../preload/contract/event-types.ts';
import { startReceiver, type TestReceiver } from '../testing/webhook-receiver.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let rx: TestReceiver;
beforeEach(async () => {
  core = await tempCore({ webhooks: { pollMs: 20 } });
  rx = await startReceiver((_r, _i, res) => void res.writeHead(202, { 'x-receiver': 'yes' }).end('{"received":true}'));
});
afterEach(async () => {
  await core.dispose();
  await rx.close();
});

const count = async (table: 'webhooks' | 'deliveries' | 'delivery_attempts') =>
  Number(
    (
      await core.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function invalid(method: Parameters<Core['invoke']>[0], input: unknown): Promise<string> {
  const err = await core.invoke(method, input).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DossierError);
  expect((err as DossierError).code).toBe('invalid_input');
  return (err as DossierError).message;
}

describe('webhook subscriptions', () => {
  it('create generates a whsec_ secret, returns it once, and stores it sealed', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['entity.discovered', 'entity.discovered', 'batch.failed'], description: 'SIEM' });
    expect(w.secret).toMatch(/^whsec_/);
    expect(Buffer.from(w.secret.slice(6), 'base64')).toHaveLength(32);
    expect(w.events).toEqual(['entity.discovered', 'batch.failed']);
    expect(w).toMatchObject({ active: true, allowPrivateNetwork: false, timeoutMs: 10_000, description: 'SIEM' });
    const listed = await core.call('webhooks.list', {});
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(w.secret);
    expect(JSON.stringify(await core.call('webhooks.get', { id: w.id }))).not.toContain(w.secret);
    core.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const file =
      readFileSync(join(core.dataDir, 'dossier.db')).toString('latin1') + readFileSync(join(core.dataDir, 'dossier.db-wal'), { flag: 'a+' }).toString('latin1');
    expect(file).not.toContain(w.secret.slice(6, 30));
    const given = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], secret: 'my-own-secret-value-123' });
    expect(given.secret).toBe('my-own-secret-value-123');
  });

  it('refuses bad input with clear typed errors and changes nothing', async () => {
    expect(await invalid('webhooks.create', { url: 'ftp://example.com/x', events: ['job.failed'] })).toMatch(/http or https/);
    expect(await invalid('webhooks.create', { url: 'not a url', events: ['job.failed'] })).toMatch(/not a valid URL/);
    expect(await invalid('webhooks.create', { url: 'https://u:p@example.com/', events: ['job.failed'] })).toMatch(/credentials/);
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.exploded', 'job.failed'] })).toMatch(/unknown event: job\.exploded/);
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: [] })).toMatch(/at least one event/);
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.failed'], headers: { 'Bad Header': 'x' } })).toMatch(
      /not a valid HTTP token/,
    );
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.failed'], headers: { 'Webhook-Signature': 'v1,x' } })).toMatch(
      /cannot be overridden/,
    );
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.failed'], headers: { 'X-Webhook-Signature': 'x' } })).toMatch(
      /cannot be overridden/,
    );
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.failed'], headers: { 'X-A': 'a\r\nInjected: 1' } })).toMatch(
      /control character/,
    );
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.failed'], secret: 'short' })).toMatch(/at least 16/);
    expect(await invalid('webhooks.create', { url: 'https://example.com/', events: ['job.failed'], timeoutMs: 60_000 })).toMatch(/30000/);
    expect(await count('webhooks')).toBe(0);
    const w = await core.call('webhooks.create', { url: 'https://example.com/', events: ['job.failed'] });
    expect(await invalid('webhooks.update', { id: w.id, events: ['nope'] })).toMatch(/unknown event/);
    expect(await invalid('webhooks.update', { id: w.id })).toMatch(/nothing to update/);
    expect((await core.call('webhooks.get', { id: w.id })).events).toEqual(['job.failed']);
    await expect(core.call('webhooks.update', { id: 'wh_missing', url: 'https://example.com/' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('accepts every event type from the one list', async () => {
    const w = await core.call('webhooks.create', { url: 'https://example.com/', events: [...WEBHOOK_EVENT_TYPES] });
    expect(w.events).toEqual([...WEBHOOK_EVENT_TYPES]);
  });

  it('update, disable and enable change what is dispatched', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    const u = await core.call('webhooks.update', { id: w.id, events: ['entity.discovered'], description: 'changed', headers: { 'X-Env': 'test' } });
    expect(u).toMatchObject({ events: ['entity.discovered'], description: 'changed', headers: { 'X-Env': '[redacted]' } });
    expect((await core.call('webhooks.disable', { id: w.id })).active).toBe(false);
    await core.ctx.db.transaction().execute((t) => writeEvent(t, 'entity.discovered', { n: 1 }));
    core.webhooks.dispatchOnce();
    expect(await count('deliveries')).toBe(0);
    expect((await core.call('webhooks.enable', { id: w.id })).active).toBe(true);
    await core.ctx.db.transaction().execute((t) => writeEvent(t, 'entity.discovered', { n: 2 }));
    core.webhooks.dispatchOnce();
    core.webhooks.dispatchOnce(); // a second run creates nothing twice
    expect(await count('deliveries')).toBe(1);
  });

  it('test delivery is synchronous, returns status, time and body, and shows in the log', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    const r = await core.call('webhooks.test', { id: w.id });
    expect(r).toMatchObject({ ok: true, statusCode: 202, body: '{"received":true}', error: null });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(rx.received).toHaveLength(1);
    const body = JSON.parse(rx.received[0]!.body);
    expect(body).toMatchObject({ event: 'webhook.test', webhook_id: w.id, data: { message: expect.any(String) } });
    expect(new StandardWebhook(w.secret).verify(rx.received[0]!.body, rx.received[0]!.headers as Record<string, string>)).toBeTruthy();
    const log = await core.call('webhooks.deliveries.list', { webhookId: w.id });
    expect(log.items.map((d) => [d.event, d.status])).toEqual([['webhook.test', 'succeeded']]);
    const detail = await core.call('webhooks.deliveries.get', { id: r.delivery.id });
    expect(detail.attemptsLog[0]).toMatchObject({ statusCode: 202, responseHeaders: { 'x-receiver': 'yes' } });
    expect(detail.attemptsLog[0]!.requestHeaders['webhook-id']).toBe(r.delivery.eventId);
  });

  it('a failing test reports the error and is not retried; without the flag the SSRF guard refuses loopback', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'] });
    const r = await core.call('webhooks.test', { id: w.id });
    expect(r).toMatchObject({ ok: false, statusCode: null, body: null });
    expect(r.error).toMatch(/refused to connect/);
    expect(r.delivery.status).toBe('dead');
    expect(rx.connections).toBe(0);
  });

  it('rotation: the new secret is returned once, both secrets verify during the grace period, only the new one after', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    const r = await core.call('webhooks.rotateSecret', { id: w.id });
    expect(r.secret).not.toBe(w.secret);
    expect(Date.parse(r.previousSecretExpiresAt!) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    await core.call('webhooks.test', { id: w.id });
    const got = rx.received[0]!;
    const h = got.headers as Record<string, string>;
    expect(new StandardWebhook(r.secret).verify(got.body, h)).toBeTruthy();
    expect(new StandardWebhook(w.secret).verify(got.body, h)).toBeTruthy();
    expect(await verifyGithub(r.secret, got.body, h['x-webhook-signature']!)).toBe(true);
    expect(await verifyGithub(w.secret, got.body, h['x-webhook-signature-previous']!)).toBe(true);

    const again = await core.call('webhooks.rotateSecret', { id: w.id, secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64'), graceHours: 0 });
    expect(again.previousSecretExpiresAt).toBeNull();
    await core.call('webhooks.test', { id: w.id });
    const h2 = rx.received[1]!.headers as Record<string, string>;
    expect(h2['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(h2['x-webhook-signature-previous']).toBeUndefined();
    expect(() => new StandardWebhook(r.secret).verify(rx.received[1]!.body, h2)).toThrow();
    expect(new StandardWebhook(again.secret).verify(rx.received[1]!.body, h2)).toBeTruthy();
  });

  it('statistics: totals, success rate, last delivery, latency percentiles', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    expect((await core.call('webhooks.get', { id: w.id })).stats).toMatchObject({ total: 0, successRate: null, lastDeliveryAt: null, latencyP50Ms: null });
    await core.call('webhooks.test', { id: w.id });
    await core.call('webhooks.test', { id: w.id });
    rx.behave((_r, _i, res) => void res.writeHead(500).end());
    await core.call('webhooks.test', { id: w.id });
    const [listed] = await core.call('webhooks.list', {});
    expect(listed!.stats).toMatchObject({ total: 3, succeeded: 2, failed: 1, pending: 0, lastStatus: 'dead' });
    expect(listed!.stats.successRate).toBeCloseTo(2 / 3);
    expect(listed!.stats.latencyP50Ms).toBeGreaterThanOrEqual(0);
    expect(listed!.stats.latencyP95Ms).toBeGreaterThanOrEqual(listed!.stats.latencyP50Ms!);
    expect(Date.parse(listed!.stats.lastDeliveryAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('deliveries list filters by webhook, status and event, and pages', async () => {
    const a = await core.call('webhooks.create', { url: rx.url, events: ['job.failed', 'entity.discovered'], allowPrivateNetwork: true });
    const b = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    for (const t of ['job.failed', 'entity.discovered', 'job.failed'] as const) await core.ctx.db.transaction().execute((trx) => writeEvent(trx, t, {}));
    core.webhooks.dispatchOnce();
    await core.call('webhooks.test', { id: a.id });
    expect((await core.call('webhooks.deliveries.list', { webhookId: a.id })).total).toBe(4);
    expect((await core.call('webhooks.deliveries.list', { webhookId: b.id })).total).toBe(2);
    expect((await core.call('webhooks.deliveries.list', { webhookId: a.id, event: 'job.failed' })).total).toBe(2);
    expect((await core.call('webhooks.deliveries.list', { webhookId: a.id, status: 'pending' })).total).toBe(3);
    expect((await core.call('webhooks.deliveries.list', { webhookId: a.id, status: 'succeeded' })).items.map((d) => d.event)).toEqual(['webhook.test']);
    const page = await core.call('webhooks.deliveries.list', { webhookId: a.id, limit: 3, offset: 3 });
    expect(page.items).toHaveLength(1);
    await expect(core.invoke('webhooks.deliveries.list', { status: 'exploded' })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('deliveries list takes a §3.6 filter (ANDed with the other inputs, counted the same) and names a bad field', async () => {
    const a = await core.call('webhooks.create', { url: rx.url, events: ['job.failed', 'entity.discovered'], allowPrivateNetwork: true });
    const b = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    for (const t of ['job.failed', 'entity.discovered', 'job.failed'] as const) await core.ctx.db.transaction().execute((trx) => writeEvent(trx, t, {}));
    core.webhooks.dispatchOnce();
    await core.call('webhooks.test', { id: a.id });
    rx.behave((_r, _i, res) => void res.writeHead(503).end());
    await core.call('webhooks.test', { id: b.id });
    // a: job.failed ×2, entity.discovered (pending), webhook.test (succeeded, 200); b: job.failed ×2 (pending), webhook.test (503).
    const list = (input: object) => core.call('webhooks.deliveries.list', input as never);
    const either = {
      or: [
        { field: 'event', op: 'is', value: 'entity.discovered' },
        { field: 'statusCode', op: 'gte', value: 500 },
      ],
    };
    const all = await list({ filter: either });
    expect(all.items.map((d) => [d.webhookId === a.id ? 'a' : 'b', d.event]).sort()).toEqual([
      ['a', 'entity.discovered'],
      ['b', 'webhook.test'],
    ]);
    expect(all.total).toBe(2);
    expect((await list({ webhookId: a.id, filter: either })).items.map((d) => d.event)).toEqual(['entity.discovered']);
    const tests = await list({
      filter: {
        and: [
          { field: 'event', op: 'is_any_of', value: ['webhook.test'] },
          { field: 'statusCode', op: 'lt', value: 300 },
        ],
      },
    });
    expect(tests.items.map((d) => d.webhookId)).toEqual([a.id]);
    expect(
      (
        await list({
          webhookId: b.id,
          filter: {
            and: [
              { field: 'status', op: 'is', value: 'pending' },
              { field: 'createdAt', op: 'after', value: '2000-01-01' },
            ],
          },
        })
      ).total,
    ).toBe(2);
    await expect(core.invoke('webhooks.deliveries.list', { filter: { and: [{ field: 'url', op: 'contains', value: 'x' }] } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/unknown field "url" for deliveries/),
    });
    await expect(core.invoke('webhooks.deliveries.list', { filter: { and: [{ field: 'attempts', op: 'contains', value: '1' }] } })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/"contains" does not fit number field "attempts"/),
    });
  });

  it('replay refuses a delivery still pending and one of a disabled webhook', async () => {
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    await core.ctx.db.transaction().execute((trx) => writeEvent(trx, 'job.failed', {}));
    core.webhooks.dispatchOnce();
    const [d] = (await core.call('webhooks.deliveries.list', { webhookId: w.id })).items;
    await expect(core.call('webhooks.deliveries.replay', { id: d!.id })).rejects.toMatchObject({ code: 'conflict' });
    const t = await core.call('webhooks.test', { id: w.id });
    await core.call('webhooks.disable', { id: w.id });
    await expect(core.call('webhooks.deliveries.replay', { id: t.delivery.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/disabled/),
    });
    await expect(core.call('webhooks.deliveries.replay', { id: 'dlv_missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('delete cascades to deliveries and attempts, and emits live events', async () => {
    const seen: string[] = [];
    core.bus.subscribe((e) => seen.push(e.name));
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true });
    await core.call('webhooks.test', { id: w.id });
    expect(await count('delivery_attempts')).toBe(1);
    await core.call('webhooks.delete', { id: w.id });
    expect([await count('webhooks'), await count('deliveries'), await count('delivery_attempts')]).toEqual([0, 0, 0]);
    await expect(core.call('webhooks.get', { id: w.id })).rejects.toMatchObject({ code: 'not_found' });
    await new Promise((r) => setTimeout(r, 250));
    expect(seen).toContain('webhooks.changed');
    expect(seen).toContain('webhooks.deliveries');
  });
});
