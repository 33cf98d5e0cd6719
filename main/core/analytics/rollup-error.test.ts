import { afterEach, describe, expect, it } from 'vitest';
import { analyticsCore, prng, seedRuns, type SeedRun } from './test-support.ts';
import { ROLLUP_RELATIVE_ERROR, histPercentile, BINS } from './percentile.ts';
import { rangeOf } from './window.ts';
import { latencyBin } from '../relay/latency.ts';

type Core = Awaited<ReturnType<typeof analyticsCore>>['core'];
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

const NOW = Date.UTC(2026, 2, 10, 14, 37, 21);
const DAY = 86_400_000;

/** Log-normal around a fast mode, with a slow tail: what tool latencies look like. */
function latencies(seed: number, n: number): number[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd());
    const slow = rnd() < 0.08;
    return Math.round((slow ? 800 : 40) * Math.exp(z * (slow ? 0.6 : 0.5)) * 100) / 100;
  });
}

describe('rolled-up percentiles beyond 24 h', () => {
  it.each([
    ['7d', 1],
    ['7d', 2],
    ['30d', 3],
    ['30d', 4],
  ] as const)(`%s (seed %i): p50/p95/p99 from the hourly log-scale rollups stay within ${ROLLUP_RELATIVE_ERROR * 100} % of the exact values`, async (window, seed) => {
    const a = await analyticsCore(NOW);
    core = a.core;
    const inv = (await core.call('investigations.create', { name: 'rollup error' })).id;
    const span = window === '7d' ? 6.5 * DAY : 29 * DAY;
    const ms = latencies(seed, 6000);
    const rnd = prng(seed + 100);
    const runs: SeedRun[] = ms.map((m) => ({ at: NOW - Math.floor(rnd() * span), ms: m, inv, tool: rnd() < 0.5 ? 'a.tool' : 'b.tool' }));
    seedRuns(core, runs);
    const r = rangeOf({ window }, NOW);
    const got = await core.call('analytics.tools', { window });
    expect(got.percentiles).toBe('rollup');
    for (const row of got.tools) {
      const exact = core.ctx.sqlite
        .prepare(
          `select count(*) as n, percentile_cont(duration_ms, 0.5) as p50, percentile_cont(duration_ms, 0.95) as p95, percentile_cont(duration_ms, 0.99) as p99
           from op_runs where tool = ? and finished_at >= ? and finished_at <= ?`,
        )
        .get(row.tool, r.from, NOW) as { n: number; p50: number; p95: number; p99: number };
      expect(row.runs).toBe(exact.n);
      for (const [rolled, truth] of [
        [row.p50Ms!, exact.p50],
        [row.p95Ms!, exact.p95],
        [row.p99Ms!, exact.p99],
      ] as const) {
        expect(Math.abs(rolled - truth) / truth).toBeLessThanOrEqual(ROLLUP_RELATIVE_ERROR);
      }
    }
  });

  it('interpolates inside the bin: equal values come back within the bin, not at its edge', () => {
    const hist = new Float64Array(BINS);
    hist[latencyBin(10)] = 100;
    const p50 = histPercentile(hist, 100, 50)!;
    expect(Math.abs(p50 - 10) / 10).toBeLessThan(ROLLUP_RELATIVE_ERROR);
    expect(histPercentile(hist, 0, 50)).toBeNull();
  });
});
