import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { relayCore, captureServer, type TestCore } from '../testing/relay.ts';
import { shellQuote } from './playground.ts';

let core: TestCore | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

describe('relay playground', () => {
  it('sends a request signed as a provider, and the relay verifies it', async () => {
    const r = await relayCore();
    core = r.core;
    for (const provider of ['github', 'stripe', 'slack', 'shopify', 'standard', 'hmac'] as const) {
      const secret = provider === 'standard' ? 'whsec_' + Buffer.from('k'.repeat(32)).toString('base64') : `secret-${provider}`;
      await core.call('relay.endpoints.create', { slug: `pg-${provider}`, provider, secret, options: provider === 'hmac' ? { header: 'x-sig', algorithm: 'sha512', encoding: 'base64', prefix: 'v=' } : {} });
      const res = await core.call('relay.playground.send', {
        method: 'POST',
        url: `${r.base}/hooks/pg-${provider}`,
        headers: [{ name: 'X-Trace', value: '1' }],
        body: JSON.stringify({ id: `evt_${provider}`, type: 'test.event' }),
        sign: { provider, secret, options: provider === 'hmac' ? { header: 'x-sig', algorithm: 'sha512', encoding: 'base64', prefix: 'v=' } : {} },
      });
      expect(res.status, provider).toBe(202);
      expect(JSON.parse(res.body)).toMatchObject({ received: true });
      expect(res.sentHeaders.some((h) => h.mark === 'signature')).toBe(true);
      expect(res.durationMs).toBeGreaterThan(0);
    }
    const unsigned = await core.call('relay.playground.send', { method: 'POST', url: `${r.base}/hooks/pg-github`, headers: [], body: '{}', sign: null });
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body)).toMatchObject({ error: 'invalid_signature' });
  });

  it('reports an unreachable target as a typed error', async () => {
    const r = await relayCore();
    core = r.core;
    await expect(core.call('relay.playground.send', { method: 'POST', url: 'http://127.0.0.1:9/nothing', headers: [], body: '', sign: null })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(core.call('relay.playground.send', { method: 'POST', url: 'ftp://x', headers: [], body: '', sign: null } as never)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('shell-quotes cURL commands so the shell passes every byte through unchanged', async () => {
    const target = await captureServer([200]);
    const r = await relayCore();
    core = r.core;
    const body = `{"msg":"it's a \\"quote\\" $HOME \`id\` !x\nnext line; rm -rf /"}`;
    const { command } = await core.call('relay.playground.curl', {
      method: 'POST',
      url: `${target.url}?a=1&b=2`,
      headers: [{ name: 'X-Odd', value: `it's $(whoami) & "more"` }],
      body,
      sign: { provider: 'github', secret: 'k', options: {} },
    });
    expect(command).toContain(`'X-Odd: it'\\''s $(whoami) & "more"'`);
    // Async: the target runs in this process, so the event loop must stay free while curl talks to it.
    await promisify(execFile)('sh', ['-c', command + ' -s -o /dev/null']);
    await target.close();
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]!.body.toString()).toBe(body);
    expect(target.seen[0]!.url).toBe('/inbox?a=1&b=2');
    const h = target.seen[0]!.rawHeaders;
    expect(h[h.indexOf('X-Odd') + 1]).toBe(`it's $(whoami) & "more"`);
    expect(h.map((x) => x.toLowerCase())).toContain('x-hub-signature-256');
  });

  it('shellQuote leaves safe words alone and quotes the rest', () => {
    expect(shellQuote('https://a.b/c')).toBe('https://a.b/c');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
