import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { tempCore } from '../testing/temp-core.ts';
import { channelServer, flakyProxy, loggedCount, postToChannel } from '../testing/channels.ts';
import { backoffDelay } from './channel-consumer.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;

describe('relay endpoints fed by a team channel', () => {
  let srv: Awaited<ReturnType<typeof channelServer>>;
  const cores: Core[] = [];
  beforeAll(async () => {
    srv = await channelServer();
  });
  afterAll(async () => {
    await srv?.close();
  });
  afterEach(async () => {
    while (cores.length) await cores.pop()!.dispose();
  });

  /** A desktop linked to the team server (or to `via`), with the backoff's waits recorded instead of slept. */
  async function desktop(via?: string) {
    const waits: number[] = [];
    const timers: (() => void)[] = [];
    const core = await tempCore({
      relayChannels: {
        random: () => 0.5,
        sleep: async (ms) => void waits.push(ms),
        setTimer: (_ms, fn) => {
          timers.push(fn);
          return () => timers.splice(timers.indexOf(fn) >>> 0, 1);
        },
      },
    });
    cores.push(core);
    await core.call('sync.connect', { server: via ?? srv.server.url, token: srv.token });
    return { core, waits, timers };
  }

  const bodies = (core: Core, endpointId: string) =>
    (core.ctx.sqlite.prepare('select body from relay_requests where endpoint_id = ? order by id').pluck().all(endpointId) as Buffer[]).map((b) => b.toString());

  it('binary and odd-whitespace JSON bodies arrive byte-identical; a GitHub request signed by @octokit/webhooks-methods verifies', async () => {
    const { core } = await desktop();
    const ch = await srv.channel('github');
    const secret = 'It is a secret to everybody';
    const ep = await core.call('relay.endpoints.create', { slug: 'gh', provider: 'github', secret, channelId: ch.id });
    expect(ep.channelId).toBe(ch.id);
    const json = Buffer.from('{ "action":"opened" ,\n\t"n" :  1 }\r\n');
    const binary = Buffer.from([0, 1, 2, 255, 254, 0x1f, 0x8b, 0, 13, 10]);
    const sig = async (b: Buffer) => octokitSign(secret, b.toString('latin1'));
    // octokit signs strings: sign the JSON as text, the binary body with a plain HMAC over its bytes.
    const { createHmac } = await import('node:crypto');
    const hmac = (b: Buffer) => 'sha256=' + createHmac('sha256', secret).update(b).digest('hex');
    expect(
      await postToChannel(ch.url, json, {
        'content-type': 'application/json',
        'x-hub-signature-256': await octokitSign(secret, json.toString()),
        'x-github-delivery': 'd-1',
        'x-github-event': 'issues',
      }),
    ).toBe(202);
    expect(await postToChannel(ch.url, binary, { 'x-hub-signature-256': hmac(binary), 'x-github-delivery': 'd-2', 'x-github-event': 'ping' })).toBe(202);
    expect(
      await postToChannel(ch.url, json, {
        'content-type': 'application/json',
        'x-hub-signature-256': await sig(Buffer.from('tampered')),
        'x-github-delivery': 'd-3',
      }),
    ).toBe(202);
    await core.startWorkers(['relay.channels']);
    await loggedCount(core, ep.id, 3);
    const rows = core.ctx.sqlite
      .prepare('select body, status, verification, delivery_id, event_type, path from relay_requests where endpoint_id = ? order by id')
      .all(ep.id) as {
      body: Buffer;
      status: number;
      verification: string;
      delivery_id: string;
      event_type: string | null;
      path: string;
    }[];
    expect(rows[0]!.body.equals(json)).toBe(true);
    expect(rows[1]!.body.equals(binary)).toBe(true);
    expect(rows.map((r) => [r.status, r.verification, r.delivery_id, r.path])).toEqual([
      [202, 'verified', 'd-1', '/hooks/gh'],
      [202, 'verified', 'd-2', '/hooks/gh'],
      [401, 'invalid_signature', 'd-3', '/hooks/gh'],
    ]);
    expect(rows[0]!.event_type).toBe('issues');
    const status = await core.call('relay.status', {});
    expect(status.channels).toEqual([expect.objectContaining({ endpointId: ep.id, channelId: ch.id, state: 'connected', lastEventId: expect.any(Number) })]);
  });

  it('relay stopped, N posted, started: exactly N, once each; stopped again, more posted, started: only the new ones', async () => {
    const { core } = await desktop();
    const ch = await srv.channel('resume');
    const ep = await core.call('relay.endpoints.create', { slug: 'resume', provider: 'none', channelId: ch.id });
    for (let i = 0; i < 30; i++) expect(await postToChannel(ch.url, `r${i}`)).toBe(202);
    await core.startWorkers(['relay.channels']);
    await loggedCount(core, ep.id, 30);
    await core.relay.channels.stop();
    for (let i = 30; i < 40; i++) await postToChannel(ch.url, `r${i}`);
    await core.relay.channels.start();
    await loggedCount(core, ep.id, 40);
    // One more live while it streams: nothing before it comes again.
    await postToChannel(ch.url, 'r40');
    await loggedCount(core, ep.id, 41);
    expect(bodies(core, ep.id)).toEqual(Array.from({ length: 41 }, (_, i) => `r${i}`));
  });

  it('a proxy answering 502 for a while: backoff with jitter, then exactly N; the state says why it is retrying', async () => {
    const proxy = await flakyProxy(srv.server.url, 3);
    try {
      const { core, waits } = await desktop(proxy.url);
      const ch = await srv.channel('flaky');
      const ep = await core.call('relay.endpoints.create', { slug: 'flaky', provider: 'none', channelId: ch.id });
      for (let i = 0; i < 12; i++) await postToChannel(ch.url, `f${i}`);
      const states: string[] = [];
      core.bus.on('relay.channel', (p) => states.push(p.state));
      await core.startWorkers(['relay.channels']);
      await loggedCount(core, ep.id, 12);
      expect(bodies(core, ep.id)).toEqual(Array.from({ length: 12 }, (_, i) => `f${i}`));
      expect(proxy.streamAttempts).toEqual([502, 502, 502, 200]);
      // random() = 0.5 → three quarters of 500·2^attempt.
      expect(waits).toEqual([375, 750, 1500]);
      expect(states).toEqual(['connecting', 'retrying', 'connecting', 'retrying', 'connecting', 'retrying', 'connecting', 'connected']);
    } finally {
      await proxy.close();
    }
  });

  it('silence past two heartbeats drops the stream and reconnects from the cursor: nothing lost, nothing twice', async () => {
    const { core, timers, waits } = await desktop();
    const ch = await srv.channel('quiet');
    const ep = await core.call('relay.endpoints.create', { slug: 'quiet', provider: 'none', channelId: ch.id });
    await postToChannel(ch.url, 'q0');
    await core.startWorkers(['relay.channels']);
    await loggedCount(core, ep.id, 1);
    const retrying = new Promise<void>((r) => core.bus.on('relay.channel', (p) => p.state === 'retrying' && r()));
    // The silence watchdog fires (the server's 20 s heartbeat never came twice).
    timers.at(-1)!();
    await retrying;
    expect((await core.call('relay.status', {})).channels[0]!.error ?? '').toMatch(/nothing from the server/);
    await postToChannel(ch.url, 'q1');
    await loggedCount(core, ep.id, 2);
    expect(bodies(core, ep.id)).toEqual(['q0', 'q1']);
    expect(waits).toHaveLength(1);
  });

  it('an endpoint with a channel needs a team link; the link gone stops the stream and says so', async () => {
    const lone = await tempCore();
    cores.push(lone);
    await expect(lone.call('relay.endpoints.create', { slug: 'x', provider: 'none', channelId: 'chn_AAAAAAAAAAAAAAAA' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await lone.call('relay.endpoints.list', {})).toEqual([]);
    await expect(lone.call('relay.endpoints.create', { slug: 'x', provider: 'none', channelId: 'not-a-channel' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const { core } = await desktop();
    const ch = await srv.channel('unlink');
    const ep = await core.call('relay.endpoints.create', { slug: 'unlink', provider: 'none', channelId: ch.id });
    await core.startWorkers(['relay.channels']);
    await core.relay.channels.settled();
    await core.call('sync.disconnect', {});
    await core.relay.channels.settled();
    expect((await core.call('relay.status', {})).channels).toEqual([expect.objectContaining({ endpointId: ep.id, state: 'not_linked' })]);
  });

  it('backoff: doubles up to the cap, jittered between half and all of it', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, () => 0, 500, 4000))).toEqual([250, 500, 1000, 2000, 2000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, () => 0.999999, 500, 4000))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
