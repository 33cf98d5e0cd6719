import { afterEach, describe, expect, it } from 'vitest';
import { SCATTER_POINTS } from '../../../preload/contract/analytics.ts';
import { analyticsCore, prng, seedRuns, type SeedRun } from './test-support.ts';
import { Histogram } from './percentile.ts';
import { queueDepth } from './recorder.ts';
import { applyAnalyticsRetention } from './retention.ts';
import { rangeOf } from './window.ts';

type Core = Awaited<ReturnType<typeof analyticsCore>>['core'];
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

const H = 3_600_000;
const DAY = 24 * H;

describe('daily grain for 7d/30d (migration 015)', () => {
  // Just after midnight, mid-afternoon, and in the last minute of a day: the window's edge hours differ each time.
  it.each([
    ['7d', Date.UTC(2026, 2, 10, 0, 0, 30)],
    ['7d', Date.UTC(2026, 2, 10, 14, 37, 21)],
    ['30d', Date.UTC(2026, 2, 10, 0, 0, 30)],
    ['30d', Date.UTC(2026, 2, 10, 23, 59, 59)],
    ['30d', Date.UTC(2026, 2, 10, 14, 37, 21)],
  ] as const)('%s at %i: whole days from the daily rollups plus the edge hours give the same counts and histograms as every hour', async (window, now) => {
    const a = await analyticsCore(now);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'days' })).id;
    const r = rangeOf({ window }, now);
    expect(r.dayFrom).toBeGreaterThanOrEqual(r.from);
    expect(r.dayFrom % DAY).toBe(0);
    const rnd = prng(now % 1000);
    const runs: SeedRun[] = [];
    // Runs on both sides of every midnight and of the window's first hour, and spread over the whole span.
    // (None after now: a rollup hour cannot tell a later millisecond apart, and no run finishes in the future.)
    for (let d = Math.floor(r.from / DAY) * DAY; d <= now; d += DAY)
      for (const off of [-1, 0, H - 1, H]) if (d + off <= now) runs.push({ at: d + off, ms: 5 + Math.floor(rnd() * 50), inv });
    for (const at of [r.from - 1, r.from, r.from + H - 1, now]) runs.push({ at, ms: 1000, inv, outcome: 'failed', code: 'timeout' });
    for (let i = 0; i < 3000; i++)
      runs.push({
        at: r.from - 2 * DAY + Math.floor(rnd() * (now - r.from + 2 * DAY)),
        ms: Math.round(10 + rnd() * 900),
        inv,
        tool: rnd() < 0.5 ? 'a.tool' : 'b.tool',
      });
    seedRuns(core, runs);

    const got = await core.call('analytics.tools', { window });
    expect(got.percentiles).toBe('rollup');
    const { sqlite } = core.ctx;
    // The truth beyond 24 h is the hours the window covers: every hour bucket in [from, now].
    const exact = sqlite
      .prepare(
        `select tool, count(*) as runs, sum(outcome != 'completed') as failed from op_runs where finished_at >= ? and finished_at <= ? group by tool order by tool`,
      )
      .all(r.from, now) as { tool: string; runs: number; failed: number }[];
    expect(got.tools.map((t) => ({ tool: t.tool, runs: t.runs, failed: t.failed })).sort((x, y) => x.tool.localeCompare(y.tool))).toEqual(exact);
    expect(got.errors).toEqual([
      {
        code: 'timeout',
        count: sqlite.prepare(`select count(*) from op_runs where code = 'timeout' and finished_at >= ? and finished_at <= ?`).pluck().get(r.from, now),
      },
    ]);
    // Percentiles: the day + edge-hour histogram is the all-hours histogram, so the same values.
    for (const t of got.tools) {
      const h = new Histogram();
      for (const [bin, n] of sqlite
        .prepare(`select bin, sum(count) from op_latency_hour where investigation_id = '*' and tool = ? and bucket >= ? and bucket <= ? group by bin`)
        .raw()
        .all(t.tool, r.from, now) as [number, number][])
        h.add(bin, n);
      expect([t.p50Ms, t.p95Ms, t.p99Ms]).toEqual([h.p(50), h.p(95), h.p(99)]);
    }
    // Scoped to the investigation: the same (its own rollup rows).
    const one = await core.call('analytics.tools', { window, investigationId: inv });
    expect(one.tools).toEqual(got.tools);
  });

  it('the daily rollup is the sum of the hourly one', async () => {
    const now = Date.UTC(2026, 2, 10, 14, 37, 21);
    const a = await analyticsCore(now);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'sum' })).id;
    const rnd = prng(7);
    seedRuns(
      core,
      Array.from({ length: 2000 }, () => ({
        at: now - Math.floor(rnd() * 40 * DAY),
        ms: Math.round(rnd() * 3000),
        inv,
        outcome: rnd() < 0.1 ? ('failed' as const) : ('completed' as const),
      })),
    );
    const { sqlite } = core.ctx;
    const fromHours = (t: string, cols: string) =>
      sqlite
        .prepare(
          `select investigation_id, bucket / ${DAY} * ${DAY} as bucket, ${cols}, sum(count) as count from ${t}_hour group by 1, 2, ${cols} order by 1, 2, ${cols}`,
        )
        .all();
    const days = (t: string, cols: string) => sqlite.prepare(`select investigation_id, bucket, ${cols}, count from ${t}_day order by 1, 2, ${cols}`).all();
    expect(days('op_stats', 'tool, outcome, code')).toEqual(fromHours('op_stats', 'tool, outcome, code'));
    expect(days('op_latency', 'tool, bin')).toEqual(fromHours('op_latency', 'tool, bin'));
  });
});

describe('entities rollup (triggers, migration 015)', () => {
  it('counts 7d/30d from entity_stats_hour exactly as the index does, through inserts, moves and cascaded deletes', async () => {
    const now = Date.UTC(2026, 2, 10, 14, 37, 21);
    const a = await analyticsCore(now);
    core = a.core;
    const one = (await core.call('investigations.create', { name: 'one' })).id;
    const two = (await core.call('investigations.create', { name: 'two' })).id;
    const { sqlite } = core.ctx;
    const ins = sqlite.prepare(`insert into entities (id, investigation_id, type, value, normalized, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?)`);
    const rnd = prng(3);
    const types = ['email', 'domain', 'account', 'url'];
    sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const at = now - Math.floor(rnd() * 35 * DAY);
        ins.run(`e${i}`, i % 3 ? one : two, types[i % 4], `v${i}`, `v${i}`, at, at);
      }
    })();
    // Through the store too (the path tools take).
    await core.call('entities.add', { investigationId: one, type: 'email', value: 'new@x.org' });
    let scopes: (string | undefined)[] = [undefined, one, two];
    const check = async () => {
      for (const window of ['7d', '30d'] as const) {
        for (const investigationId of scopes) {
          const r = rangeOf({ window, investigationId }, now);
          const e = await core!.call('analytics.entities', { window, investigationId });
          const truth = sqlite
            .prepare(
              `select type, count(*) as count from entities where first_seen >= ? and first_seen <= ? ${investigationId ? 'and investigation_id = ?' : ''} group by type`,
            )
            .all(...[r.from, now, ...(investigationId ? [investigationId] : [])]) as { type: string; count: number }[];
          expect(Object.fromEntries(e.byType.map((b) => [b.type, b.count]))).toEqual(Object.fromEntries(truth.map((b) => [b.type, b.count])));
          expect(e.discoveries.reduce((s, d) => s + d.total, 0)).toBe(e.total);
        }
      }
    };
    await check();
    sqlite.prepare(`update entities set first_seen = ?, type = 'ip' where id in ('e1', 'e2', 'e3')`).run(now - 10 * DAY);
    await core.call('entities.delete', { id: 'e4' });
    await check();
    await core.call('investigations.delete', { id: two });
    scopes = [undefined, one];
    await check();
    expect((await core.call('analytics.entities', { window: '30d', investigationId: one })).total).toBe(
      (await core.call('analytics.entities', { window: '30d' })).total,
    );
  });
});

describe('latency scatter', () => {
  it('samples many runs evenly in time: at most SCATTER_POINTS, distinct, in order, from the first run to the last, scoped', async () => {
    const now = Date.UTC(2026, 2, 10, 14, 37, 21);
    const a = await analyticsCore(now);
    core = a.core;
    const one = (await core.call('investigations.create', { name: 'one' })).id;
    const two = (await core.call('investigations.create', { name: 'two' })).id;
    const rnd = prng(11);
    const runs: SeedRun[] = Array.from({ length: 9000 }, (_, i) => ({ at: now - Math.floor(rnd() * 6 * DAY), ms: 10 + (i % 97), inv: i % 3 ? one : two }));
    seedRuns(core, runs);
    for (const investigationId of [undefined, two]) {
      const t = await core.call('analytics.tools', { window: '7d', investigationId });
      expect(t.scatterSampled).toBe(true);
      const mine = runs.filter((r) => !investigationId || r.inv === investigationId).map((r) => r.at);
      expect(t.scatter.length).toBeGreaterThan(SCATTER_POINTS / 2);
      expect(t.scatter.length).toBeLessThanOrEqual(SCATTER_POINTS);
      const at = t.scatter.map((p) => new Date(p.at).getTime());
      expect(at).toEqual([...at].sort((x, y) => x - y));
      expect(at[0]).toBe(Math.min(...mine));
      expect(at.at(-1)).toBe(Math.max(...mine));
      // Every point is one of this scope's runs.
      const set = new Set(mine);
      expect(at.every((x) => set.has(x))).toBe(true);
    }
  });
});

describe('verdicts in analytics', () => {
  it('counts confirmed and false positives given in the window, per site, scoped by investigation', async () => {
    const now = Date.UTC(2026, 2, 10, 14, 37, 21);
    const a = await analyticsCore(now);
    core = a.core;
    const one = (await core.call('investigations.create', { name: 'one' })).id;
    const two = (await core.call('investigations.create', { name: 'two' })).id;
    const acct = async (inv: string, site: string, username: string) =>
      (await core!.call('entities.add', { investigationId: inv, type: 'account', value: `${site}:${username}`, properties: { site, username } })).entity.id;
    await core.call('verdicts.set', { entityId: await acct(one, 'GitHub', 'alice'), verdict: 'false_positive' });
    await core.call('verdicts.set', { entityId: await acct(one, 'GitHub', 'bob'), verdict: 'false_positive' });
    await core.call('verdicts.set', { entityId: await acct(one, 'Reddit', 'alice'), verdict: 'confirmed' });
    const email = (await core.call('entities.add', { investigationId: two, type: 'email', value: 'a@x.org' })).entity.id;
    await core.call('verdicts.set', { entityId: email, verdict: 'confirmed' });
    // Given two days ago: outside 24h, inside 7d.
    a.clock.t = now - 2 * DAY;
    await core.call('verdicts.set', { entityId: await acct(two, 'Steam', 'carol'), verdict: 'false_positive' });
    a.clock.t = now;

    const all = (await core.call('analytics.entities', { window: '24h' })).verdicts;
    expect(all).toEqual({
      confirmed: 2,
      falsePositive: 2,
      bySite: [
        { site: 'GitHub', confirmed: 0, falsePositive: 2 },
        { site: 'Reddit', confirmed: 1, falsePositive: 0 },
      ],
    });
    expect((await core.call('analytics.entities', { window: '24h', investigationId: two })).verdicts).toEqual({ confirmed: 1, falsePositive: 0, bySite: [] });
    expect((await core.call('analytics.entities', { window: '7d', investigationId: two })).verdicts).toEqual({
      confirmed: 1,
      falsePositive: 1,
      bySite: [{ site: 'Steam', confirmed: 0, falsePositive: 1 }],
    });
  });
});

describe('queue depth on pause, resume and cancel', () => {
  it('queueDepth: nothing queued when paused or finished; the rest minus what runs otherwise', () => {
    expect(queueDepth('running', 10, 3)).toEqual([7, 3]);
    expect(queueDepth('pending', 10, 0)).toEqual([10, 0]);
    expect(queueDepth('paused', 10, 2)).toEqual([0, 2]);
    expect(queueDepth('cancelled', 10, 2)).toEqual([0, 0]);
    expect(queueDepth('completed', 0, 0)).toEqual([0, 0]);
  });

  it('a batch paused, resumed and cancelled from a process that does not run it (the CLI) writes a sample at each change', async () => {
    const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
    const a = await analyticsCore(T0);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'q' })).id;
    const b = await core.call('batches.create', { investigationId: inv, tool: 'test.latency', source: { kind: 'list', values: ['1', '2', '3', '4', '5'] } });
    const at = async (t: number) => {
      const q = await core!.call('analytics.batches', { window: '1h', investigationId: inv });
      return q.queue.find((s) => new Date(s.at).getTime() === t)!;
    };
    a.clock.t = T0 + 60_000;
    await core.call('batches.pause', { id: b.id });
    a.clock.t = T0 + 120_000;
    await core.call('batches.resume', { id: b.id });
    a.clock.t = T0 + 180_000;
    const samples = () =>
      core!.ctx.sqlite.prepare(`select bucket - ? as m, pending, running from queue_samples where batch_id = ? order by bucket`).all(T0, b.id);
    expect(samples()).toEqual([
      { m: 0, pending: 5, running: 0 },
      { m: 60_000, pending: 0, running: 0 },
      { m: 120_000, pending: 5, running: 0 },
    ]);
    a.clock.t = T0 + 180_000;
    expect(await at(T0 + 60_000)).toMatchObject({ pending: 0, running: 0 });
    expect(await at(T0 + 120_000)).toMatchObject({ pending: 5, running: 0 });
    await core.call('batches.cancel', { id: b.id });
    expect(samples().at(-1)).toEqual({ m: 180_000, pending: 0, running: 0 });
    a.clock.t = T0 + 240_000;
    expect(await at(T0 + 180_000)).toMatchObject({ pending: 0, running: 0 });
  });

  it('a running batch paused mid-run shows nothing queued, its run in flight as running until it finishes; cancel empties it', async () => {
    const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
    const a = await analyticsCore(T0);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'q' })).id;
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.latency',
      source: { kind: 'list', values: ['hold', '1', '1', '1'] },
      options: { maxParallel: 1 },
    });
    await core.startWorkers(['executor']);
    await a.tool.held;
    a.clock.t = T0 + 60_000;
    await core.call('batches.pause', { id: b.id });
    const last = () =>
      core!.ctx.sqlite.prepare(`select bucket - ? as m, pending, running from queue_samples where batch_id = ? order by bucket desc limit 1`).get(T0, b.id);
    expect(last()).toEqual({ m: 60_000, pending: 0, running: 1 });
    a.clock.t = T0 + 120_000;
    a.tool.release();
    while ((await core.call('batches.get', { id: b.id })).counts.completed < 1) await new Promise((r) => setTimeout(r, 5));
    const after = last() as { m: number; pending: number; running: number };
    expect(after).toMatchObject({ m: 120_000, pending: 0 });
    const q = await core.call('analytics.batches', { window: '1h', investigationId: inv });
    expect(q.queue.at(-1)!.pending).toBe(0);
    a.clock.t = T0 + 180_000;
    await core.call('batches.cancel', { id: b.id });
    expect(last()).toEqual({ m: 180_000, pending: 0, running: 0 });
  });
});

describe('retention', () => {
  it('drops raw runs, samples and trips older than analytics.retention.days (default 35) and old hourly rollups; the long windows still count', async () => {
    const now = Date.UTC(2026, 2, 10, 14, 37, 21);
    const a = await analyticsCore(now);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'r' })).id;
    seedRuns(core, [
      { at: now - 100 * DAY, ms: 5, inv },
      { at: now - 40 * DAY, ms: 5, inv },
      { at: now - 20 * DAY, ms: 5, inv },
      { at: now - 3 * DAY, ms: 5, inv },
      { at: now - 1000, ms: 5, inv },
    ]);
    const { sqlite } = core.ctx;
    const sample = sqlite.prepare(`insert into queue_samples (batch_id, bucket, investigation_id, at, pending, running) values ('b', ?, ?, ?, 1, 0)`);
    const trip = sqlite.prepare(`insert into breaker_trips (at, host, tool, investigation_id) values (?, 'h', 't', ?)`);
    for (const t of [now - 40 * DAY, now - 1000]) {
      sample.run(t - (t % 60_000), inv, t);
      trip.run(t, inv);
    }
    const before = await core.call('analytics.tools', { window: '30d' });
    expect(await applyAnalyticsRetention(core.ctx, now)).toEqual({ runs: 2, samples: 1, trips: 1 });
    const count = (t: string) => sqlite.prepare(`select count(*) from ${t}`).pluck().get();
    expect([count('op_runs'), count('queue_samples'), count('breaker_trips')]).toEqual([3, 1, 1]);
    // The 100-day-old hour rolled off the hourly rollup (90 days); its day stays (400 days).
    expect(
      sqlite
        .prepare(`select count(*) from op_stats_hour where bucket < ?`)
        .pluck()
        .get(now - 90 * DAY),
    ).toBe(0);
    expect(
      sqlite
        .prepare(`select count(*) from op_stats_day where bucket < ?`)
        .pluck()
        .get(now - 90 * DAY),
    ).toBe(2);
    expect(await core.call('analytics.tools', { window: '30d' })).toEqual(before);

    await core.call('settings.set', { key: 'analytics.retention.days', value: 2 });
    expect((await applyAnalyticsRetention(core.ctx, now)).runs).toBe(2);
    expect(count('op_runs')).toBe(1);
    // The 24h window is exact from the runs kept; 7d still counts from the rollups.
    expect((await core.call('analytics.tools', { window: '24h' })).tools[0]!.runs).toBe(1);
    expect((await core.call('analytics.tools', { window: '7d' })).tools[0]!.runs).toBe(2);
  });
});
