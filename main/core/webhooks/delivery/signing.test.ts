import { describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { verify as verifyGithub } from '@octokit/webhooks-methods';
import { generateSecret, sign, signingKey } from './signing.ts';
import { buildHeaders } from './headers.ts';
import { deliveryBody } from './payload.ts';

const body = deliveryBody(
  { id: 'evt_1', type: 'entity.discovered', createdAt: Date.UTC(2026, 0, 2, 3, 4, 5), dataJson: '{"entity":{"value":"ünïcode ✓"}}' },
  'wh_1',
);

function headersFor(current: string, previous: string | null, ts = Math.floor(Date.now() / 1000)) {
  const sigs = sign({ current: signingKey(current), previous: previous ? signingKey(previous) : null }, 'evt_1', ts, body);
  return buildHeaders({ version: '9.9.9', webhookId: 'evt_1', event: 'entity.discovered', timestampSec: ts, signatures: sigs, custom: { 'X-Team': 'blue' } });
}

describe('signatures, verified by independent libraries', () => {
  it('generates whsec_ + base64 of 32 random bytes', () => {
    const s = generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(s.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(s);
  });

  it('standardwebhooks verifies webhook-*; @octokit/webhooks-methods verifies x-webhook-signature', async () => {
    const secret = generateSecret();
    const h = headersFor(secret, null);
    expect(new StandardWebhook(secret).verify(body, h)).toEqual(JSON.parse(body));
    expect(await verifyGithub(secret, body, h['x-webhook-signature']!)).toBe(true);
    // A wrong secret or a changed body fails both.
    expect(() => new StandardWebhook(generateSecret()).verify(body, h)).toThrow();
    expect(() => new StandardWebhook(secret).verify(body.replace('wh_1', 'wh_2'), h)).toThrow();
    expect(await verifyGithub('another-secret-string', body, h['x-webhook-signature']!)).toBe(false);
  });

  it('a non-whsec secret string signs too (raw bytes as the HMAC key)', async () => {
    const secret = 'plain-shared-secret-1234';
    const h = headersFor(secret, null);
    expect(await verifyGithub(secret, body, h['x-webhook-signature']!)).toBe(true);
    const asStandard = 'whsec_' + Buffer.from(secret).toString('base64');
    expect(new StandardWebhook(asStandard).verify(body, h)).toBeTruthy();
  });

  it('during a rotation both secrets verify', async () => {
    const oldS = generateSecret();
    const newS = generateSecret();
    const h = headersFor(newS, oldS);
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new StandardWebhook(newS).verify(body, h)).toBeTruthy();
    expect(new StandardWebhook(oldS).verify(body, h)).toBeTruthy();
    expect(await verifyGithub(newS, body, h['x-webhook-signature']!)).toBe(true);
    expect(await verifyGithub(oldS, body, h['x-webhook-signature-previous']!)).toBe(true);
  });

  it('headers carry the SPEC set and custom headers cannot override them', () => {
    const ts = 1_767_000_000;
    const sigs = sign({ current: signingKey(generateSecret()) }, 'evt_1', ts, body);
    const h = buildHeaders({
      version: '1.2.3',
      webhookId: 'evt_1',
      event: 'entity.discovered',
      timestampSec: ts,
      signatures: sigs,
      custom: {
        'Webhook-Signature': 'v1,forged',
        'X-Webhook-Signature': 'sha256=forged',
        'Content-Type': 'text/plain',
        'Proxy-Thing': 'x',
        Authorization: 'Bearer t',
      },
    });
    expect(h).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Dossier-Webhook/1.2.3',
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(ts),
      'x-webhook-event': 'entity.discovered',
      'x-webhook-timestamp': new Date(ts * 1000).toISOString(),
      authorization: 'Bearer t',
    });
    expect(h['webhook-signature']).toBe(sigs.standard);
    expect(h['x-webhook-signature']).toBe(sigs.github);
    expect(h['proxy-thing']).toBeUndefined();
  });

  it('the body is the SPEC payload, byte-exact JSON', () => {
    expect(JSON.parse(body)).toEqual({
      id: 'evt_1',
      event: 'entity.discovered',
      timestamp: '2026-01-02T03:04:05.000Z',
      data: { entity: { value: 'ünïcode ✓' } },
      webhook_id: 'wh_1',
    });
  });
});
