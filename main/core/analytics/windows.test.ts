import { afterEach, describe, expect, it } from 'vitest';
import { ANALYTICS_WINDOWS, type AnalyticsWindow } from '../../../preload/contract/analytics.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { analyticsCore, seedRuns } from './test-support.ts';
import { rangeOf } from './window.ts';

type Core = Awaited<ReturnType<typeof analyticsCore>>['core'];
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

// Not on an hour boundary, so each window's first bucket starts before "now minus the span".
const NOW = Date.UTC(2026, 2, 10, 14, 37, 21, 500);

describe('analytics windows', () => {
  it.each(ANALYTICS_WINDOWS)('counts a run at the first instant of the %s window and at now, and none just outside', async (window: AnalyticsWindow) => {
    const a = await analyticsCore(NOW);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'w' })).id;
    const from = rangeOf({ window }, NOW).from;
    const hourly = window === '7d' || window === '30d';
    // The rollups are hourly: beyond 24 h the boundary is the hour the window starts in.
    seedRuns(core, [
      { at: from, ms: 7, inv },
      { at: from - (hourly ? 3_600_000 : 1), ms: 9, inv },
      { at: NOW, ms: 11, inv },
      // Exact windows end at now; a rollup hour cannot tell a later millisecond apart.
      ...(hourly ? [] : [{ at: NOW + 1, ms: 13, inv }]),
    ]);
    const t = await core.call('analytics.tools', { window });
    expect(t.tools).toHaveLength(1);
    expect(t.tools[0]!.runs).toBe(2);
    expect(t.percentiles).toBe(hourly ? 'rollup' : 'exact');
    const b = await core.call('analytics.batches', { window });
    expect(b.totals.completed).toBe(2);
    expect(b.throughput[0]!.completed).toBe(1);
    expect(b.throughput.at(-1)!.completed).toBe(1);
    expect(new Date(b.from).getTime()).toBe(from);
  });

  it('scopes every family by investigation', async () => {
    const a = await analyticsCore(NOW);
    core = a.core;
    const one = (await core.call('investigations.create', { name: 'one' })).id;
    const two = (await core.call('investigations.create', { name: 'two' })).id;
    seedRuns(core, [
      { at: NOW - 60_000, ms: 5, inv: one },
      { at: NOW - 60_000, ms: 5, inv: one, outcome: 'failed', code: 'timeout' },
      { at: NOW - 2 * 86_400_000, ms: 50, inv: two, tool: 'other.tool' },
    ]);
    const { sqlite } = core.ctx;
    const ins = sqlite.prepare(`insert into entities (id, investigation_id, type, value, normalized, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?)`);
    ins.run('e1', one, 'email', 'a@x.org', 'a@x.org', NOW - 1000, NOW);
    ins.run('e2', two, 'domain', 'x.org', 'x.org', NOW - 1000, NOW);
    ins.run('e3', two, 'domain', 'y.org', 'y.org', NOW - 1000, NOW);
    for (const window of ['24h', '7d'] as const) {
      const t1 = await core.call('analytics.tools', { window, investigationId: one });
      expect(t1.tools.map((x) => [x.tool, x.runs, x.failed])).toEqual([['test.latency', 2, 1]]);
      expect(t1.errors).toEqual([{ code: 'timeout', count: 1 }]);
      const e2 = await core.call('analytics.entities', { window, investigationId: two });
      expect(e2.byType).toEqual([{ type: 'domain', count: 2 }]);
    }
    const all = await core.call('analytics.tools', { window: '7d' });
    expect(all.tools.map((x) => x.tool).sort()).toEqual(['other.tool', 'test.latency']);
    expect((await core.call('analytics.tools', { window: '24h', investigationId: two })).tools).toEqual([]);
    expect((await core.call('analytics.entities', { window: '24h' })).total).toBe(3);
  });

  it('gives zeros and empty lists, not errors, when there is no data', async () => {
    const a = await analyticsCore(NOW);
    core = a.core;
    for (const window of ANALYTICS_WINDOWS) {
      const b = await core.call('analytics.batches', { window });
      expect(b.totals).toEqual({ completed: 0, failed: 0, retried: 0, successRate: null });
      expect(b.throughput.every((s) => s.completed === 0 && s.failed === 0)).toBe(true);
      expect(b.queue.every((s) => s.pending === 0 && s.running === 0)).toBe(true);
      const t = await core.call('analytics.tools', { window });
      expect([t.tools, t.errors, t.health, t.scatter, t.hosts]).toEqual([[], [], [], [], []]);
      const w = await core.call('analytics.webhooks', { window });
      expect(w.totals).toEqual({ attempts: 0, succeeded: 0, failed: 0, successRate: null, p50Ms: null, p95Ms: null, deadLetters: 0 });
      const r = await core.call('analytics.relay', { window });
      expect(r.relay.totals.total).toBe(0);
      expect(r.verification).toEqual([]);
      const e = await core.call('analytics.entities', { window });
      expect(e.total).toBe(0);
      expect(e.discoveries.length).toBe(b.throughput.length);
    }
  });

  it('refuses an invalid window with invalid_input and an unknown investigation with not_found', async () => {
    const a = await analyticsCore(NOW);
    core = a.core;
    for (const m of ['analytics.batches', 'analytics.tools', 'analytics.webhooks', 'analytics.relay', 'analytics.entities'] as const) {
      await expect(core.invoke(m, { window: '2h' })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    const err = await core.invoke('analytics.tools', { window: '24h', investigationId: 'inv_missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DossierError);
    expect(err).toMatchObject({ code: 'not_found' });
  });
});
