import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { relayCore, post, type TestCore } from '../testing/relay.ts';

let core: TestCore;
let base: string;
beforeEach(async () => {
  ({ core, base } = await relayCore());
  // relay.received reaches the outbox only while a webhook listens for it.
  await core.call('webhooks.create', { url: 'http://127.0.0.1:9/unused', events: ['relay.received'], allowPrivateNetwork: true });
});
afterEach(async () => {
  await core.dispose();
});

const rows = () => core.ctx.db.selectFrom('relay_requests').selectAll().orderBy('id').execute();
const outbox = () => core.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'relay.received').execute();

async function github(slug = 'gh', secret = 'gh-secret') {
  await core.call('relay.endpoints.create', { slug, provider: 'github', secret });
  return { url: `${base}/hooks/${slug}`, secret };
}

describe('relay receiver', () => {
  it('accepts a GitHub delivery signed by @octokit/webhooks-methods and logs it byte-exact', async () => {
    const { url, secret } = await github();
    const body = JSON.stringify({ action: 'opened', issue: { number: 7 } });
    const res = await post(url + '?source=test', body, {
      'Content-Type': 'application/json',
      'X-Hub-Signature-256': await octokitSign(secret, body),
      'X-GitHub-Delivery': 'abc-123',
      'X-GitHub-Event': 'issues',
      Authorization: 'Bearer top-secret',
      'User-Agent': 'GitHub-Hookshot/1',
    });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ received: true });
    const [row] = await rows();
    expect(row!.body!.equals(Buffer.from(body))).toBe(true);
    expect(row).toMatchObject({ status: 202, verification: 'verified', delivery_id: 'abc-123', event_type: 'issues', slug: 'gh', query: 'source=test', user_agent: 'GitHub-Hookshot/1', source_ip: '127.0.0.1' });
    const detail = await core.call('relay.requests.get', { id: row!.id });
    expect(detail.headers.find((h) => h.name === 'Authorization')).toEqual({ name: 'Authorization', value: '[redacted]', mark: 'redacted' });
    expect(detail.headers.find((h) => h.name === 'X-Hub-Signature-256')?.mark).toBe('signature');
    expect(JSON.stringify(detail)).not.toContain('top-secret');
    expect(detail.isJson).toBe(true);
    const events = await outbox();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload).request).toMatchObject({ id: row!.id, deliveryId: 'abc-123', eventType: 'issues' });
  });

  it('writes relay.received only while an active webhook subscribes to it', async () => {
    const { url, secret } = await github();
    const send = (id: string) => octokitSign(secret, '{}').then((sig) => post(url, '{}', { 'X-Hub-Signature-256': sig, 'X-GitHub-Delivery': id }));
    expect((await send('d1')).status).toBe(202);
    expect(await outbox()).toHaveLength(1);
    const [hook] = await core.call('webhooks.list', {});
    await core.call('webhooks.disable', { id: hook!.id });
    expect((await send('d2')).status).toBe(202);
    expect(await outbox()).toHaveLength(1);
    expect(await rows()).toHaveLength(2);
    await core.call('webhooks.enable', { id: hook!.id });
    expect((await send('d3')).status).toBe(202);
    expect(await outbox()).toHaveLength(2);
  });

  it('rejects a one-byte change, a wrong secret and a missing header with 401, and logs each', async () => {
    const { url, secret } = await github();
    const body = '{"a":1}';
    const sig = await octokitSign(secret, body);
    const tampered = await post(url, '{"a":2}', { 'X-Hub-Signature-256': sig });
    const wrong = await post(url, body, { 'X-Hub-Signature-256': await octokitSign('not-it', body) });
    const missing = await post(url, body, {});
    const garbage = await post(url, body, { 'X-Hub-Signature-256': '\u00ff\u00fe' });
    for (const r of [tampered, wrong, missing, garbage]) {
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: 'invalid_signature' });
    }
    const logged = await rows();
    expect(logged.map((r) => [r.status, r.verification])).toEqual(Array(4).fill([401, 'invalid_signature']));
    expect(logged[2]!.error).toContain('missing X-Hub-Signature-256');
    expect(await outbox()).toHaveLength(0);
  });

  it('answers 401 stale_timestamp for an old Stripe signature', async () => {
    await core.call('relay.endpoints.create', { slug: 'st', provider: 'stripe', secret: 'whsec_abc' });
    const stripe = new Stripe('sk_test_1');
    const body = JSON.stringify({ id: 'evt_9', type: 'charge.succeeded' });
    const old = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_abc', timestamp: Math.floor(Date.now() / 1000) - 600 });
    const res = await post(`${base}/hooks/st`, body, { 'Stripe-Signature': old });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: 'stale_timestamp' });
    const fresh = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_abc' });
    expect((await post(`${base}/hooks/st`, body, { 'Stripe-Signature': fresh })).status).toBe(202);
    expect((await rows()).map((r) => r.verification)).toEqual(['stale_timestamp', 'verified']);
  });

  it('keeps non-JSON, non-UTF-8 and empty bodies byte-exact', async () => {
    await core.call('relay.endpoints.create', { slug: 'raw', provider: 'none' });
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41, 0xc3]);
    expect((await post(`${base}/hooks/raw`, binary, { 'content-type': 'application/octet-stream' })).status).toBe(202);
    expect((await post(`${base}/hooks/raw`, 'a=1&b=%20', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(202);
    expect((await post(`${base}/hooks/raw`, '')).status).toBe(202);
    const [a, b, c] = await rows();
    const da = await core.call('relay.requests.get', { id: a!.id });
    expect(Buffer.from(da.bodyBase64, 'base64').equals(binary)).toBe(true);
    expect(da.bodyText).toBeNull();
    const db = await core.call('relay.requests.get', { id: b!.id });
    expect(db).toMatchObject({ bodyText: 'a=1&b=%20', isJson: false, verification: 'unsigned' });
    expect(c!.size).toBe(0);
    expect((await core.call('relay.requests.get', { id: c!.id })).bodyBase64).toBe('');
  });

  it('accepts a body of exactly the limit and answers 413 one byte over, without storing it', async () => {
    await core.call('relay.endpoints.create', { slug: 'lim', provider: 'none', bodyLimit: 1024 * 1024 });
    const exact = Buffer.alloc(1024 * 1024, 0x61);
    expect((await post(`${base}/hooks/lim`, exact)).status).toBe(202);
    const over = await post(`${base}/hooks/lim`, Buffer.alloc(1024 * 1024 + 1, 0x61));
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ error: 'payload_too_large' });
    // Chunked (no content-length): the limit is enforced while reading.
    async function* chunks() {
      yield Buffer.alloc(700_000, 1);
      yield Buffer.alloc(700_000, 2);
    }
    const { request } = await import('undici');
    const { Readable } = await import('node:stream');
    const chunked = await request(`${base}/hooks/lim`, { method: 'POST', body: Readable.from(chunks()) });
    expect(chunked.statusCode).toBe(413);
    await chunked.body.dump();
    const logged = await rows();
    expect(logged.map((r) => r.status)).toEqual([202, 413, 413]);
    expect(logged[0]!.body!.length).toBe(1024 * 1024);
    expect(logged[1]!.body).toBeNull();
    expect(logged[1]!.size).toBe(1024 * 1024 + 1);
  });

  it('logs and answers 404 for unknown or inactive slugs and 405 for other methods', async () => {
    const ep = await core.call('relay.endpoints.create', { slug: 'off', provider: 'none' });
    await core.call('relay.endpoints.update', { id: ep.id, active: false });
    expect((await post(`${base}/hooks/nope`, 'x')).status).toBe(404);
    expect((await post(`${base}/hooks/off`, 'x')).status).toBe(404);
    expect((await post(`${base}/elsewhere`, 'x')).status).toBe(404);
    const get = await post(`${base}/hooks/off`, '', {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const logged = await rows();
    expect(logged.map((r) => [r.method, r.status, r.slug])).toEqual([
      ['POST', 404, 'nope'],
      ['POST', 404, 'off'],
      ['POST', 404, null],
      ['GET', 405, 'off'],
    ]);
  });

  it('acknowledges a repeated delivery id with 200 duplicate and does not process it again', async () => {
    const { url, secret } = await github();
    await core.call('relay.endpoints.update', { id: (await core.call('relay.endpoints.list', {}))[0]!.id, forwardTo: 'http://127.0.0.1:9/unused' });
    const body = '{"zen":"hi"}';
    const headers = { 'X-Hub-Signature-256': await octokitSign(secret, body), 'X-GitHub-Delivery': 'same-id', 'X-GitHub-Event': 'ping' };
    const first = await post(url, body, headers);
    // Sent concurrently, the repeats land in one group commit with each other.
    const repeats = await Promise.all([post(url, body, headers), post(url, body, headers)]);
    expect(first.status).toBe(202);
    for (const r of repeats) {
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ duplicate: true, duplicateOf: first.json!.id });
    }
    const jobs = await core.ctx.db.selectFrom('relay_jobs').selectAll().execute();
    expect(jobs).toHaveLength(1);
    expect(await outbox()).toHaveLength(1);
    expect((await rows()).map((r) => r.duplicate_of)).toEqual([null, first.json!.id, first.json!.id]);
  });

  it('answers Slack url_verification with its challenge once the signature checks out', async () => {
    await core.call('relay.endpoints.create', { slug: 'sl', provider: 'slack', secret: 'slack-s' });
    const body = JSON.stringify({ token: 't', challenge: 'ch4ll3nge', type: 'url_verification' });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = 'v0=' + createHmac('sha256', 'slack-s').update(`v0:${ts}:${body}`).digest('hex');
    const res = await post(`${base}/hooks/sl`, body, { 'X-Slack-Signature': sig, 'X-Slack-Request-Timestamp': ts, 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('ch4ll3nge');
    const bad = await post(`${base}/hooks/sl`, body, { 'X-Slack-Signature': 'v0=00', 'X-Slack-Request-Timestamp': ts });
    expect(bad.status).toBe(401);
  });

  it('logs every one of many concurrent requests', async () => {
    await core.call('relay.endpoints.create', { slug: 'many', provider: 'none' });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => post(`${base}/hooks/many`, `{"i":${i}}`)));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const ids = new Set(results.map((r) => r.json!.id));
    expect(ids.size).toBe(200);
    const page = await core.call('relay.requests.list', { slug: 'many', limit: 10 });
    expect(page.total).toBe(200);
    expect(page.items).toHaveLength(10);
    const next = await core.call('relay.requests.list', { slug: 'many', limit: 10, beforeId: page.items.at(-1)!.id });
    expect(next.items[0]!.id).toBe(page.items.at(-1)!.id - 1);
    expect((await core.call('relay.requests.list', { status: '4xx' })).total).toBe(0);
    expect((await core.call('relay.requests.list', { status: 202, verification: 'unsigned' })).total).toBe(200);
    const [ep] = await core.call('relay.endpoints.list', {});
    expect(ep).toMatchObject({ slug: 'many', requestCount: 200 });
    expect(Date.parse(ep!.lastRequestAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('relay.status reports the running receiver and its URL', async () => {
    const s = await core.call('relay.status', {});
    expect(s).toMatchObject({ running: true, url: base, error: null });
    const ep = await core.call('relay.endpoints.create', { slug: 'u', provider: 'none' });
    expect(ep.url).toBe(`${base}/hooks/u`);
  });
});

describe('relay receiver start', () => {
  it('a strict start on a taken port fails with a clear typed error; a lenient one records it in relay.status', async () => {
    const port = Number(new URL(base).port);
    const { tempCore } = await import('../testing/temp-core.ts');
    const other = await tempCore();
    try {
      other.relay.receiver.configure({ host: '127.0.0.1', port, strict: true });
      await expect(other.relay.receiver.start()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining(`127.0.0.1:${port}`) });
      other.relay.receiver.configure({ strict: false });
      await other.relay.receiver.start();
      const s = await other.call('relay.status', {});
      expect(s).toMatchObject({ running: false, url: null });
      expect(s.error).toContain('EADDRINUSE');
    } finally {
      await other.dispose();
    }
  });
});
