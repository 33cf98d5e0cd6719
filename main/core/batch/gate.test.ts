import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { closeHttpAgents } from '../tools/http.ts';
import { systemClock } from '../util/time.ts';
import { CircuitOpenError, ExecutorGate } from './gate.ts';
import { fetchTool, startHostFixture } from '../testing/batch-tools.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await closeHttpAgents();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = new AbortController().signal;

describe('host gate', () => {
  it('circuit breaker: opens after N consecutive transient failures, refuses, lets one probe through after the cool-down, closes on success', async () => {
    const changes: string[] = [];
    const gate = new ExecutorGate({ hostRates: {}, defaultRate: 1000, breakerFailures: 3, breakerCooldownMs: 150 }, systemClock, (s) => changes.push(s.circuit));
    const g = gate.forTool({ perSecond: 1000, burst: 100 });
    for (let i = 0; i < 2; i++) {
      await g.acquire('h', never);
      g.report('h', { ok: false, transient: true });
    }
    // A permanent answer (a 404) is the host working: it does not count, and an ok resets the count.
    await g.acquire('h', never);
    g.report('h', { ok: true });
    for (let i = 0; i < 3; i++) {
      await g.acquire('h', never);
      g.report('h', { ok: false, transient: true });
    }
    expect(gate.states()[0]).toMatchObject({ host: 'h', circuit: 'open', consecutiveFailures: 3 });
    await expect(g.acquire('h', never)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(gate.refusalMs('h')).toBeGreaterThan(0);
    await sleep(170);
    await g.acquire('h', never); // the probe
    expect(gate.states()[0]!.circuit).toBe('half_open');
    await expect(g.acquire('h', never)).rejects.toBeInstanceOf(CircuitOpenError); // one probe at a time
    g.report('h', { ok: false, transient: true }); // probe failed: open again
    expect(gate.states()[0]!.circuit).toBe('open');
    await expect(g.acquire('h', never)).rejects.toBeInstanceOf(CircuitOpenError);
    await sleep(170);
    await g.acquire('h', never);
    g.report('h', { ok: true });
    expect(gate.states()[0]).toMatchObject({ circuit: 'closed', consecutiveFailures: 0 });
    await g.acquire('h', never);
    expect(changes).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('token bucket: a burst passes at once, then requests are spaced at the host rate', async () => {
    const gate = new ExecutorGate({ hostRates: { slow: { perSecond: 20, burst: 2 } }, defaultRate: 1, breakerFailures: 5, breakerCooldownMs: 1000 }, systemClock);
    const g = gate.forTool({ perSecond: 10_000, burst: 10_000 }); // the host's own setting wins over the tool's
    const t0 = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, async () => {
      await g.acquire('slow', never);
      times.push(Date.now() - t0);
    }));
    times.sort((a, b) => a - b);
    expect(times[1]).toBeLessThan(40);
    // 4 more at 20/s: the last one no earlier than 4 × 50 ms.
    expect(times[5]).toBeGreaterThanOrEqual(195);
  });

  it('an aborted wait gives its token back and rejects with an abort', async () => {
    const gate = new ExecutorGate({ hostRates: { h: { perSecond: 1, burst: 1 } }, defaultRate: 1, breakerFailures: 5, breakerCooldownMs: 1000 }, systemClock);
    const g = gate.forTool();
    await g.acquire('h', never);
    const ctl = new AbortController();
    const p = g.acquire('h', ctl.signal);
    ctl.abort('cancelled');
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('host gate in the executor', () => {
  it('a host that answered 429 with Retry-After is not contacted again before that time', async () => {
    const core = await tempCore();
    cleanups.push(() => core.dispose());
    const fx = await startHostFixture({ retryAfterSeconds: 1 });
    cleanups.push(() => fx.close());
    core.ctx.tools.register(fetchTool(fx.url));
    await core.call('settings.set', { key: 'executor.hostRates', value: { [fx.host]: { perSecond: 1000, burst: 50 } } });
    const inv = (await core.call('investigations.create', { name: 'rl' })).id;
    await core.startWorkers(['executor']);
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fetch',
      params: { path: 'limited' },
      source: { kind: 'list', values: ['a', 'b'] },
      options: { maxParallel: 1, retry: { attempts: 3, delaysMs: [10] } },
    });
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'completed', completed: 2 });
    const first429 = fx.hits[0]!;
    expect(first429.path).toBe('/limited/a');
    // Everything after the first 429 waited the full second it asked for.
    for (const h of fx.hits.slice(1)) expect(h.at - first429.at).toBeGreaterThanOrEqual(1000);
    const att = await core.call('batches.attempts', { operationId: (await core.call('batches.operations', { batchId: b.id, search: 'a' })).items[0]!.id });
    expect(att.map((a) => a.outcome)).toEqual(['failed', 'completed']);
    expect(att[0]!.error).toMatch(/429/);
  });

  it('an open circuit refuses the host without spending retries, then a probe closes it and the batch completes', async () => {
    const core = await tempCore();
    cleanups.push(() => core.dispose());
    const fx = await startHostFixture();
    cleanups.push(() => fx.close());
    core.ctx.tools.register(fetchTool(fx.url));
    await core.call('settings.set', { key: 'executor.hostRates', value: { [fx.host]: { perSecond: 1000, burst: 50 } } });
    await core.call('settings.set', { key: 'executor.breakerFailures', value: 3 });
    await core.call('settings.set', { key: 'executor.breakerCooldownMs', value: 600 });
    const inv = (await core.call('investigations.create', { name: 'cb' })).id;
    await core.startWorkers(['executor']);
    const states: string[] = [];
    core.bus.on('hosts.changed', ({ host }) => states.push(host.circuit));
    fx.down = true;
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.fetch',
      params: { path: 'down' },
      source: { kind: 'list', values: Array.from({ length: 8 }, (_, i) => `v${i}`) },
      options: { maxParallel: 1, retry: { attempts: 10, delaysMs: [5] } },
    });
    const t0 = Date.now();
    while (!states.includes('open')) {
      if (Date.now() - t0 > 5000) throw new Error('the circuit never opened');
      await sleep(5);
    }
    const hitsWhenOpened = fx.hits.length;
    expect(hitsWhenOpened).toBe(3);
    expect((await core.call('batches.hostStates', {})).find((h) => h.host === fx.host)).toMatchObject({ circuit: 'open' });
    await sleep(300);
    expect(fx.hits.length).toBe(hitsWhenOpened); // refused while open
    fx.down = false;
    const s = await core.executor.waitFor(b.id);
    expect(s).toMatchObject({ status: 'completed', completed: 8, failed: 0 });
    expect(states).toContain('half_open');
    expect(states.at(-1)).toBe('closed');
    // The refusals were recorded, but no operation spent more than its real tries.
    const refused = core.ctx.sqlite.prepare(`select count(*) as n from operation_attempts where outcome = 'refused'`).get() as { n: number };
    expect(refused.n).toBeGreaterThan(0);
    const maxAttempts = core.ctx.sqlite.prepare(`select max(attempts) as m from operations`).get() as { m: number };
    expect(maxAttempts.m).toBeLessThanOrEqual(4);
  });
});
