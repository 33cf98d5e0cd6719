import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { blockedRange, guardedAgent, guardedLookup, openAgent, parseAllowList, refusal, type Resolver } from './ssrf.ts';
import { sendAttempt } from './send.ts';
import { startReceiver, type TestReceiver } from '../../testing/webhook-receiver.ts';

describe('blockedRange', () => {
  const blocked = [
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.254',
    '224.0.0.1',
    '239.255.255.250',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '192.0.2.10',
    '198.51.100.7',
    '203.0.113.9',
    '198.18.0.1',
    '240.0.0.1',
    '192.0.0.8',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '2001:db8::1',
    'fec0::1',
    '100::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:0:a00:1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::1',
    '2002:7f00:1::',
    '2002:a00:1::1',
    '::127.0.0.1',
    '2001::1',
  ];
  const allowed = [
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ];
  it.each(blocked)('refuses %s', (a) => expect(blockedRange(a)).not.toBeNull());
  it.each(allowed)('allows %s', (a) => expect(blockedRange(a)).toBeNull());
});

describe('operator allow-list (the sync server reuses the guard with one)', () => {
  it('lets an allowed subnet through and nothing else', () => {
    const allow = parseAllowList(['10.20.0.0/16', 'fd00:1::/32']);
    expect(refusal('10.20.3.4', allow)).toBeNull();
    expect(refusal('::ffff:10.20.3.4', allow)).toBeNull();
    expect(refusal('fd00:1::5', allow)).toBeNull();
    expect(refusal('10.21.0.1', allow)).not.toBeNull();
    expect(refusal('127.0.0.1', allow)).not.toBeNull();
    expect(() => parseAllowList(['10.0.0.0/99'])).toThrow(/not a CIDR/);
  });

  it('an agent with 127.0.0.0/8 allowed reaches the loopback receiver; without it, it is refused', async () => {
    const rx = await startReceiver();
    const allowedAgent = guardedAgent({ allow: ['127.0.0.0/8'] });
    const strict = guardedAgent();
    try {
      const send = (dispatcher: typeof strict) => sendAttempt({ url: rx.url, body: '{}', headers: {}, timeoutMs: 3000, dispatcher });
      expect((await send(strict)).outcome).toMatchObject({ errorCode: 'ssrf_blocked' });
      expect((await send(allowedAgent)).statusCode).toBe(200);
      expect(rx.received).toHaveLength(1);
    } finally {
      await Promise.all([allowedAgent.close(), strict.close(), rx.close()]);
    }
  });
});

describe('guarded lookup', () => {
  const resolver: Resolver = async (h) =>
    h === 'internal.example'
      ? [{ address: '10.1.2.3', family: 4 }]
      : h === 'mixed.example'
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '192.168.0.9', family: 4 },
          ]
        : [{ address: '93.184.216.34', family: 4 }];
  const run = (host: string) =>
    new Promise<{ err: (Error & { code?: string }) | null; addrs: unknown }>((resolve) =>
      guardedLookup(resolver)(host, { all: true }, ((err: Error | null, addrs: unknown) => resolve({ err, addrs })) as never),
    );
  it('refuses a name when any answer is private', async () => {
    expect((await run('internal.example')).err?.code).toBe('ssrf_blocked');
    expect((await run('mixed.example')).err?.code).toBe('ssrf_blocked');
    expect((await run('public.example')).err).toBeNull();
  });
});

describe('the guarded agent at connect time', () => {
  let rx: TestReceiver;
  let rx6: TestReceiver | null = null;
  const resolver: Resolver = async (h) => (h === 'intranet.example' ? [{ address: '10.9.8.7', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
  const agent = guardedAgent({ resolver });
  beforeAll(async () => {
    rx = await startReceiver();
    rx6 = await startReceiver(undefined, '::1').catch(() => null);
  });
  afterAll(async () => {
    await agent.close();
    await rx.close();
    await rx6?.close();
  });

  const attempt = (url: string, dispatcher = agent) =>
    sendAttempt({ url, body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 3000, dispatcher });

  it('URL parsing turns decimal, octal and hex literals into dotted quads, which the guard refuses', () => {
    expect(new URL('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0177.0.0.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0x7f000001/').hostname).toBe('127.0.0.1');
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
  });

  it.each([
    ['localhost', (p: number) => `http://localhost:${p}/hook`],
    ['127.0.0.1', (p: number) => `http://127.0.0.1:${p}/hook`],
    ['[::1]', (p: number) => `http://[::1]:${p}/hook`],
    ['[::ffff:127.0.0.1]', (p: number) => `http://[::ffff:127.0.0.1]:${p}/hook`],
    ['2130706433', (p: number) => `http://2130706433:${p}/hook`],
    ['0x7f.1', (p: number) => `http://0x7f.1:${p}/hook`],
    ['0177.0.0.1', (p: number) => `http://0177.0.0.1:${p}/hook`],
    ['a name resolving to 10.x', (p: number) => `http://intranet.example:${p}/hook`],
    ['169.254.169.254', () => `http://169.254.169.254/latest/meta-data/`],
  ])('refuses %s before any connection', async (_name, url) => {
    const before = rx.connections + (rx6?.connections ?? 0);
    const r = await attempt(url(rx.port));
    expect(r.outcome).toMatchObject({ kind: 'stop', errorCode: 'ssrf_blocked' });
    expect(r.statusCode).toBeNull();
    expect(rx.connections + (rx6?.connections ?? 0)).toBe(before);
    expect(rx.received).toHaveLength(0);
  });

  it('localhost through the system resolver is refused', async () => {
    const sys = guardedAgent();
    try {
      const r = await attempt(`http://localhost:${rx.port}/hook`, sys);
      expect(r.outcome).toMatchObject({ kind: 'stop', errorCode: 'ssrf_blocked' });
      expect(rx.received).toHaveLength(0);
    } finally {
      await sys.close();
    }
  });

  it('a resolver name pointing at loopback is refused too (DNS rebinding)', async () => {
    const r = await attempt(`http://rebind.example:${rx.port}/hook`);
    expect(r.outcome).toMatchObject({ errorCode: 'ssrf_blocked' });
    expect(rx.received).toHaveLength(0);
  });

  it('with allow_private_network (the open agent) the loopback receiver gets it', async () => {
    const open = openAgent();
    try {
      const r = await attempt(`http://127.0.0.1:${rx.port}/hook`, open);
      expect(r.outcome.kind).toBe('success');
      expect(rx.received).toHaveLength(1);
      if (rx6) {
        const r6 = await attempt(`http://[::1]:${rx6.port}/hook`, open);
        expect(r6.statusCode).toBe(200);
      }
    } finally {
      await open.close();
    }
  });

  it('plain undici with the guarded agent rejects with ssrf_blocked in the cause', async () => {
    const err = await request(`http://127.0.0.1:${rx.port}/`, { dispatcher: agent }).catch((e: unknown) => e);
    expect(String((err as Error).message) + String((err as { cause?: Error }).cause?.message ?? '')).toMatch(/refused to connect/);
  });
});
