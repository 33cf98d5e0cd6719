import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSecretName, redactQueryString, redactUrl } from './secret-names.ts';
import { post, relayCore, captureServer, type TestCore } from '../testing/relay.ts';
import { startReceiver, type TestReceiver } from '../testing/webhook-receiver.ts';
import { redactParams } from '../tools/run.ts';

/** Every byte the core wrote to its data directory (database, WAL), minus the key file. */
function dataBytes(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('dossier.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('the one redaction rule (SPEC §5)', () => {
  it('matches auth, token, secret, key, password, session, cookie, signature in names', () => {
    for (const n of ['Authorization', 'X-Gitlab-Token', 'X-Auth-Token', 'api-key', 'X-Api-Key', 'Cookie', 'Set-Cookie', 'X-Session-Id', 'client_secret', 'password', 'Stripe-Signature', 'Proxy-Authorization']) {
      expect(isSecretName(n), n).toBe(true);
    }
    for (const n of ['content-type', 'user-agent', 'x-github-event', 'accept', 'q', 'page']) expect(isSecretName(n), n).toBe(false);
    expect(redactQueryString('a=1&token=abc&api_key=xyz&b')).toBe('a=1&token=%5Bredacted%5D&api_key=%5Bredacted%5D&b');
    expect(redactUrl('https://h.test/p?q=x&access_token=zz#f')).toBe('https://h.test/p?q=x&access_token=%5Bredacted%5D#f');
    expect(redactParams({ headers: { 'X-Auth-Token': 'literal', 'X-Key': '{credential}' }, auth: 'bearer', authName: 'X-Key' })).toEqual({
      headers: { 'X-Auth-Token': '[redacted]', 'X-Key': '{credential}' },
      auth: 'bearer',
      authName: 'X-Key',
    });
  });
});

describe('no secret value reaches the database file', () => {
  let core: TestCore;
  let base: string;
  let rx: TestReceiver;
  beforeEach(async () => {
    ({ core, base } = await relayCore({ actions: true }));
    rx = await startReceiver();
  });
  afterEach(async () => {
    await core.dispose();
    await rx.close();
  });

  it('relay: X-Gitlab-Token, X-Auth-Token, api-key and ?token= are redacted in the log and still forwarded byte-exact', async () => {
    const target = await captureServer();
    try {
      await core.call('relay.endpoints.create', { slug: 'gl', provider: 'none', forwardTo: target.url });
      const secrets = ['glpat-canary-0001', 'auth-canary-0002', 'apikey-canary-0003', 'query-canary-0004', 'sig-canary-0005'];
      const res = await post(`${base}/hooks/gl?token=${secrets[3]}&page=2`, '{"ok":true}', {
        'X-Gitlab-Token': secrets[0]!,
        'X-Auth-Token': secrets[1]!,
        'api-key': secrets[2]!,
        'X-Custom-Signature': secrets[4]!,
        'content-type': 'application/json',
      });
      expect(res.status).toBe(202);
      await core.relay.actions.drain();
      const stored = await core.call('relay.requests.get', { id: res.json!.id as number });
      expect(stored.query).toBe('token=%5Bredacted%5D&page=2');
      expect(stored.headers.find((h) => h.name === 'X-Gitlab-Token')).toEqual({ name: 'X-Gitlab-Token', value: '[redacted]', mark: 'redacted' });
      // Forwarding restores the sealed values: the target gets what the sender sent.
      const fwd = target.seen[0]!.rawHeaders;
      expect(fwd[fwd.indexOf('X-Gitlab-Token') + 1]).toBe(secrets[0]);
      core.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      const bytes = dataBytes(core.dataDir);
      for (const s of secrets) expect(bytes.includes(s), s).toBe(false);
    } finally {
      await target.close();
    }
  });

  it('webhooks: custom header values are sealed, shown masked, sent in full, and masked in every attempt', async () => {
    const SECRET = 'whk-custom-canary-7781';
    const w = await core.call('webhooks.create', { url: rx.url, events: ['job.failed'], allowPrivateNetwork: true, headers: { 'X-Receiver-Key': SECRET, 'X-Team': 'blue' } });
    expect(w.headers).toEqual({ 'X-Receiver-Key': '[redacted]', 'X-Team': '[redacted]' });
    const r = await core.call('webhooks.test', { id: w.id });
    expect(r.ok).toBe(true);
    expect(rx.received[0]!.headers['x-receiver-key']).toBe(SECRET);
    const detail = await core.call('webhooks.deliveries.get', { id: r.delivery.id });
    expect(detail.attemptsLog[0]!.requestHeaders).toMatchObject({ 'x-receiver-key': '[redacted]', 'webhook-signature': '[redacted]', 'webhook-id': r.delivery.eventId });
    // Saving the masked form back (what the edit dialog does) keeps the real value; a new value replaces it.
    await core.call('webhooks.update', { id: w.id, headers: { 'X-Receiver-Key': '[redacted]', 'X-Team': 'red' } });
    await core.call('webhooks.test', { id: w.id });
    expect(rx.received[1]!.headers).toMatchObject({ 'x-receiver-key': SECRET, 'x-team': 'red' });
    core.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(dataBytes(core.dataDir).includes(SECRET)).toBe(false);
  });
});
