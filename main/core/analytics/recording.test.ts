import { afterEach, describe, expect, it } from 'vitest';
import { analyticsCore } from './test-support.ts';
import { rebuildOpRollups } from './rebuild.ts';

type Core = Awaited<ReturnType<typeof analyticsCore>>['core'];
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

async function run(c: Core, inv: string, values: string[]) {
  const b = await c.call('batches.create', {
    investigationId: inv,
    tool: 'test.latency',
    source: { kind: 'list', values },
    options: { maxParallel: 1, retry: { attempts: 1, delaysMs: [1000] } },
  });
  await c.startWorkers(['executor']);
  return { batch: b, summary: await c.executor.waitFor(b.id) };
}

describe('analytics recorded by the executor group commit', () => {
  it('gives the exact p50/p95/p99 of known latencies (90 fast, 10 slow) for 1h and 24h, and counts failures by typed code', async () => {
    const a = await analyticsCore(T0);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'known latencies' })).id;
    const values = [
      ...Array.from({ length: 90 }, () => '10'),
      ...Array.from({ length: 10 }, () => '1000'),
      '5:503',
      '5:503',
      '5:404',
      '5:429',
      '5:zod',
    ];
    const { summary } = await run(core, inv, values);
    expect(summary).toMatchObject({ status: 'completed', completed: 100, failed: 5 });

    for (const window of ['1h', '24h'] as const) {
      const t = await core.call('analytics.tools', { window });
      expect(t.percentiles).toBe('exact');
      const row = t.tools.find((x) => x.tool === 'test.latency')!;
      expect(row.runs).toBe(105);
      expect(row.failed).toBe(5);
      // 105 sorted durations: 5 × 5 ms, 90 × 10 ms, 10 × 1000 ms; percentile_cont positions 52, 98.8, 103.96.
      expect(row.p50Ms).toBe(10);
      expect(row.p95Ms).toBe(1000);
      expect(row.p99Ms).toBe(1000);
      expect(t.errors).toEqual([
        { code: 'server_error', count: 2 },
        { code: 'client_error', count: 1 },
        { code: 'invalid_data', count: 1 },
        { code: 'rate_limited', count: 1 },
      ]);
      const b = await core.call('analytics.batches', { window });
      expect(b.totals).toMatchObject({ completed: 100, failed: 5, successRate: 0.9524 });
      expect(b.throughput.reduce((s, x) => s + x.completed, 0)).toBe(100);
    }
  });

  it('writes the hourly and daily rollups the SQL rebuild would write, in the same commits (nothing extra to keep in step)', async () => {
    const a = await analyticsCore(T0);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'rollups' })).id;
    await run(core, inv, ['3', '40', '40', '900', '5:500', '2500']);
    const { sqlite } = core.ctx;
    const read = () => ({
      stats: sqlite.prepare('select * from op_stats_hour order by 1, 2, 3, 4, 5').all(),
      hist: sqlite.prepare('select * from op_latency_hour order by 1, 2, 3, 4').all(),
      statsDay: sqlite.prepare('select * from op_stats_day order by 1, 2, 3, 4, 5').all(),
      histDay: sqlite.prepare('select * from op_latency_day order by 1, 2, 3, 4').all(),
    });
    const live = read();
    expect(live.stats.length).toBeGreaterThan(0);
    expect(live.statsDay.length).toBeGreaterThan(0);
    sqlite.exec('delete from op_stats_hour; delete from op_latency_hour; delete from op_stats_day; delete from op_latency_day');
    rebuildOpRollups(sqlite);
    expect(read()).toEqual(live);
    // Every finished operation has its run row, with the duration the clock measured.
    expect(sqlite.prepare(`select duration_ms from op_runs order by id`).pluck().all()).toEqual([3, 40, 40, 900, 5, 2500]);
  });

  it('samples queue depth with each commit: pending falls to zero as the batch drains', async () => {
    const a = await analyticsCore(T0);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'queue' })).id;
    // Each run takes 20 s on the injected clock: 30 runs span 10 minutes of samples.
    await run(core, inv, Array.from({ length: 30 }, () => '20000'));
    const q = await core.call('analytics.batches', { window: '1h', investigationId: inv });
    const depth = q.queue.map((s) => s.pending + s.running);
    const first = depth.findIndex((d) => d > 0);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(depth[first]).toBeGreaterThanOrEqual(26);
    // Non-increasing while it drains, and zero at the end.
    for (let i = first + 1; i < depth.length; i++) expect(depth[i]).toBeLessThanOrEqual(depth[i - 1]!);
    expect(depth.at(-1)).toBe(0);
    expect(q.running).toEqual([]);
  });

  it('gives a running batch its rate and ETA from the operations finished in the last 10 minutes', async () => {
    const a = await analyticsCore(T0);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'eta' })).id;
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool: 'test.latency',
      source: { kind: 'list', values: [...Array.from({ length: 10 }, () => '60000'), 'hold', ...Array.from({ length: 10 }, () => '1')] },
      options: { maxParallel: 1 },
    });
    await core.startWorkers(['executor']);
    await a.tool.held;
    // The tenth finish commits right after the hold begins.
    while ((await core.call('batches.get', { id: b.id })).counts.completed < 10) await new Promise((r) => setTimeout(r, 5));
    const q = await core.call('analytics.batches', { window: '1h' });
    // 10 done in the 10 minutes since it started: 1 a minute; 11 to go.
    expect(q.running).toEqual([{ id: b.id, name: b.name, investigationId: inv, total: 21, done: 10, perMinute: 1, etaSeconds: 660 }]);
    a.tool.release();
    await core.executor.waitFor(b.id);
  });
});
