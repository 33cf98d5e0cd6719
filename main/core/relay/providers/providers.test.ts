import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import { PROVIDERS } from './index.ts';
import type { VerifyInput } from './types.ts';
import { RELAY_PROVIDERS } from '../../../../preload/contract/relay.ts';

const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'customer.created', data: { email: 'a@example.org' } }));
const now = Date.now();
const base = { options: {}, toleranceSeconds: 300, now };
const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const flip = (b: Buffer) => {
  const c = Buffer.from(b);
  c[5] = c[5]! ^ 1;
  return c;
};

describe('relay providers', () => {
  it('the registry has a module for every provider the contract lists', () => {
    expect(Object.keys(PROVIDERS).sort()).toEqual(RELAY_PROVIDERS.map((p) => p.id).sort());
  });

  it('github: accepts @octokit/webhooks-methods sign(), rejects a changed byte and a wrong secret', async () => {
    const secret = 'gh-secret';
    const headers = { 'x-hub-signature-256': await octokitSign(secret, body.toString()), 'x-github-delivery': 'd-1', 'x-github-event': 'push' };
    const p = PROVIDERS.github;
    expect(p.verify({ ...base, headers, body, secret })).toEqual({ ok: true, verification: 'verified' });
    expect(p.verify({ ...base, headers, body: flip(body), secret })).toMatchObject({ ok: false, verification: 'invalid_signature' });
    expect(p.verify({ ...base, headers, body, secret: 'other' })).toMatchObject({ ok: false, verification: 'invalid_signature' });
    expect(p.meta(headers, () => null)).toEqual({ deliveryId: 'd-1', eventType: 'push' });
    expect(lower(p.sign({ body, secret, options: {}, now, id: 'x' }))['x-hub-signature-256']).toBe(headers['x-hub-signature-256']);
  });

  it('stripe: accepts generateTestHeaderString, rejects changes, wrong secret and stale timestamps', () => {
    const stripe = new Stripe('sk_test_123');
    const secret = 'whsec_test_secret';
    const header = stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret });
    const p = PROVIDERS.stripe;
    const headers = { 'stripe-signature': header };
    expect(p.verify({ ...base, headers, body, secret })).toEqual({ ok: true, verification: 'verified' });
    expect(p.verify({ ...base, headers, body: flip(body), secret })).toMatchObject({ verification: 'invalid_signature' });
    expect(p.verify({ ...base, headers, body, secret: 'whsec_wrong' })).toMatchObject({ verification: 'invalid_signature' });
    const old = stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret, timestamp: Math.floor(now / 1000) - 301 });
    expect(p.verify({ ...base, headers: { 'stripe-signature': old }, body, secret })).toMatchObject({ verification: 'stale_timestamp' });
    expect(p.meta(headers, () => JSON.parse(body.toString()))).toEqual({ deliveryId: 'evt_1', eventType: 'customer.created' });
  });

  it('slack: accepts a hand-computed v0 signature, rejects stale and tampered requests', () => {
    const secret = 'slack-signing';
    const ts = String(Math.floor(now / 1000));
    const sig = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${body.toString()}`).digest('hex');
    const headers = { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts };
    const p = PROVIDERS.slack;
    expect(p.verify({ ...base, headers, body, secret })).toEqual({ ok: true, verification: 'verified' });
    expect(p.verify({ ...base, headers, body: flip(body), secret })).toMatchObject({ verification: 'invalid_signature' });
    expect(p.verify({ ...base, headers, body, secret: 'nope' })).toMatchObject({ verification: 'invalid_signature' });
    const oldTs = String(Math.floor(now / 1000) - 400);
    const oldSig = 'v0=' + createHmac('sha256', secret).update(`v0:${oldTs}:${body.toString()}`).digest('hex');
    expect(p.verify({ ...base, headers: { 'x-slack-signature': oldSig, 'x-slack-request-timestamp': oldTs }, body, secret })).toMatchObject({ verification: 'stale_timestamp' });
  });

  it('shopify: accepts a hand-computed base64 HMAC', () => {
    const secret = 'shpss_1';
    const headers = { 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'), 'x-shopify-webhook-id': 'w-9', 'x-shopify-topic': 'orders/create' };
    const p = PROVIDERS.shopify;
    expect(p.verify({ ...base, headers, body, secret })).toEqual({ ok: true, verification: 'verified' });
    expect(p.verify({ ...base, headers, body: flip(body), secret })).toMatchObject({ verification: 'invalid_signature' });
    expect(p.verify({ ...base, headers, body, secret: 'x' })).toMatchObject({ verification: 'invalid_signature' });
    expect(p.meta(headers, () => null)).toEqual({ deliveryId: 'w-9', eventType: 'orders/create' });
  });

  it('standard: accepts standardwebhooks Webhook.sign, rejects stale and tampered requests', () => {
    const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const wh = new Webhook(secret);
    const sig = wh.sign('msg_1', new Date(now), body.toString());
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now / 1000)), 'webhook-signature': sig };
    const p = PROVIDERS.standard;
    expect(p.verify({ ...base, headers, body, secret })).toEqual({ ok: true, verification: 'verified' });
    expect(p.verify({ ...base, headers, body: flip(body), secret })).toMatchObject({ verification: 'invalid_signature' });
    const other = 'whsec_' + Buffer.from('another-key-another-key-another!!').toString('base64');
    expect(p.verify({ ...base, headers, body, secret: other })).toMatchObject({ verification: 'invalid_signature' });
    const old = new Date(now - 10 * 60_000);
    const oldHeaders = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(old.getTime() / 1000)), 'webhook-signature': wh.sign('msg_1', old, body.toString()) };
    expect(p.verify({ ...base, headers: oldHeaders, body, secret })).toMatchObject({ verification: 'stale_timestamp' });
    // Our own sign() must satisfy the vendor's verifier too.
    const ours = p.sign({ body, secret, options: {}, now, id: 'msg_2' });
    expect(() => wh.verify(body.toString(), ours)).not.toThrow();
  });

  it.each([
    [{ algorithm: 'sha1', encoding: 'hex', prefix: 'sha1=', header: 'x-sig' }, 'sha1', 'hex'],
    [{ algorithm: 'sha512', encoding: 'base64', header: 'x-mac' }, 'sha512', 'base64'],
    [{}, 'sha256', 'hex'],
  ] as const)('hmac %o: accepts a hand-computed signature', (options, alg, enc) => {
    const secret = 's3cr3t';
    const headerName = ('header' in options ? options.header : undefined) ?? 'x-signature';
    const prefix = ('prefix' in options ? options.prefix : undefined) ?? '';
    const headers = { [headerName]: prefix + createHmac(alg, secret).update(body).digest(enc) };
    const p = PROVIDERS.hmac;
    const v = (h: Record<string, string>, b: Buffer, s: string) => p.verify({ ...base, options, headers: h, body: b, secret: s });
    expect(v(headers, body, secret)).toEqual({ ok: true, verification: 'verified' });
    expect(v(headers, flip(body), secret)).toMatchObject({ verification: 'invalid_signature' });
    expect(v(headers, body, 'wrong')).toMatchObject({ verification: 'invalid_signature' });
  });

  it('no provider throws on missing or malformed headers', () => {
    const malformed: Record<string, string>[] = [
      {},
      { 'x-hub-signature-256': 'sha256=zz', 'stripe-signature': 't=abc,v1', 'x-slack-signature': 'v0', 'x-slack-request-timestamp': 'soon' },
      { 'stripe-signature': ',,,=', 'webhook-id': '', 'webhook-timestamp': '-1', 'webhook-signature': 'v1' },
      { 'x-shopify-hmac-sha256': '%%%', 'x-signature': '' },
    ];
    for (const p of Object.values(PROVIDERS)) {
      for (const headers of malformed) {
        const input: VerifyInput = { ...base, headers, body, secret: 'k' };
        const r = p.verify(input);
        expect(r.ok ? r.verification : r.verification).toMatch(p.id === 'none' ? /unsigned/ : /invalid_signature/);
      }
    }
  });
});
