import { SCATTER_POINTS, type ToolAnalytics, type ToolErrorCode, type ToolStats } from '../../../preload/contract/analytics.ts';
import { iso } from '../util/time.ts';
import { Histogram } from './percentile.ts';
import { invFilter, rollupRows, type Statements } from './statements.ts';
import { rate, rollupParams, round2, windowInfo, type Range } from './window.ts';

interface Row {
  tool: string;
  runs: number;
  failed: number;
  sum: number;
}

/** Tools: runs, failures, latency p50/p95/p99, errors by typed code, health, latency scatter. */
export class ToolQueries {
  constructor(private readonly st: Statements) {}

  /** Exact: SQLite's percentile_cont over the window's runs, read from the covering time index. */
  private exactStats(r: Range): ToolStats[] {
    const rows = this.st
      .get(
        `select tool, count(*) as runs, sum(outcome != 'completed') as failed, avg(duration_ms) as avg,
           percentile_cont(duration_ms, 0.5) as p50, percentile_cont(duration_ms, 0.95) as p95, percentile_cont(duration_ms, 0.99) as p99
         from op_runs where finished_at >= @from and finished_at <= @to and outcome != 'refused' ${invFilter(r.investigationId)}
         group by tool order by runs desc, tool`,
      )
      .all({ from: r.from, to: r.to, inv: r.investigationId ?? undefined }) as (Row & { avg: number; p50: number; p95: number; p99: number })[];
    return rows.map((x) => ({
      tool: x.tool,
      runs: x.runs,
      failed: x.failed,
      successRate: rate(x.runs - x.failed, x.runs),
      avgMs: round2(x.avg),
      p50Ms: round2(x.p50),
      p95Ms: round2(x.p95),
      p99Ms: round2(x.p99),
    }));
  }

  /** Beyond 24 h: counts from the daily/hourly stats, percentiles interpolated in the log-scale histograms. */
  private rollupStats(r: Range): ToolStats[] {
    const params = rollupParams(r);
    const rows = this.st
      .get(
        `select tool, sum(count) as runs, sum(case when outcome != 'completed' then count else 0 end) as failed, sum(duration_sum) as sum
         from ${rollupRows('op_stats', 'tool, outcome, count, duration_sum', `outcome != 'refused'`)} group by tool`,
      )
      .all(params) as Row[];
    const hists = new Map<string, Histogram>();
    const bins = this.st
      .get(`select tool, bin, sum(count) as n from ${rollupRows('op_latency', 'tool, bin, count')} group by tool, bin`)
      .raw()
      .all(params) as [string, number, number][];
    for (const [tool, bin, n] of bins) {
      let h = hists.get(tool);
      if (!h) hists.set(tool, (h = new Histogram()));
      h.add(bin, n);
    }
    return rows
      .map((x) => {
        const h = hists.get(x.tool);
        return {
          tool: x.tool,
          runs: x.runs,
          failed: x.failed,
          successRate: rate(x.runs - x.failed, x.runs),
          avgMs: x.runs ? round2(x.sum / x.runs) : null,
          p50Ms: h?.p(50) ?? null,
          p95Ms: h?.p(95) ?? null,
          p99Ms: h?.p(99) ?? null,
        };
      })
      .sort((a, b) => b.runs - a.runs || a.tool.localeCompare(b.tool));
  }

  stats(r: Range): ToolStats[] {
    return r.exact ? this.exactStats(r) : this.rollupStats(r);
  }

  /** Failed runs (final and retried) by tool and typed code. */
  errors(r: Range): { tool: string; code: ToolErrorCode; count: number }[] {
    const rows = r.exact
      ? this.st
          .get(
            `select tool, code, count(*) as count from op_runs
             where finished_at >= @from and finished_at <= @to and outcome in ('failed','retry') ${invFilter(r.investigationId)} group by tool, code`,
          )
          .all({ from: r.from, to: r.to, inv: r.investigationId ?? undefined })
      : this.st
          .get(`select tool, code, sum(count) as count from ${rollupRows('op_stats', 'tool, code, count', `outcome in ('failed','retry')`)} group by tool, code`)
          .all(rollupParams(r));
    return (rows as { tool: string; code: ToolErrorCode; count: number }[]).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }

  trips(r: Range): { tool: string; host: string; trips: number }[] {
    return this.st
      .get(`select tool, host, count(*) as trips from breaker_trips where at >= @from and at <= @to ${invFilter(r.investigationId)} group by tool, host`)
      .all({ from: r.from, to: r.to, inv: r.investigationId ?? undefined }) as { tool: string; host: string; trips: number }[];
  }

  /**
   * Latency against time. Few runs: all of them. Many: an even sample in time,
   * the first run at or after each of SCATTER_POINTS instants spread evenly
   * from the window's first run to its last (one seek each on the covering
   * time index, per investigation when scoped), so the cost is the sample's
   * size, not the window's. Even in time is what a time axis can show; a
   * burst shorter than one instant's spacing shows as its first run.
   */
  scatter(r: Range, runs: number): { points: ToolAnalytics['scatter']; sampled: boolean } {
    type P = { at: number; ms: number; tool: string; outcome: string };
    const map = (rows: P[]) => rows.map((p) => ({ at: iso(p.at), ms: p.ms, tool: p.tool, ok: p.outcome === 'completed' }));
    const params = { from: r.from, to: r.to, inv: r.investigationId ?? undefined };
    const where = `finished_at >= @from and finished_at <= @to and outcome != 'refused' ${invFilter(r.investigationId)}`;
    if (runs <= SCATTER_POINTS) {
      const rows = this.st
        .get(`select finished_at as at, duration_ms as ms, tool, outcome from op_runs where ${where} order by finished_at limit ${SCATTER_POINTS}`)
        .all(params) as P[];
      return { points: map(rows), sampled: false };
    }
    // Two seeks (min and max together would scan the range).
    const lo = this.st.get(`select finished_at from op_runs where ${where} order by finished_at limit 1`).pluck().get(params) as number | undefined;
    const hi = this.st.get(`select finished_at from op_runs where ${where} order by finished_at desc limit 1`).pluck().get(params) as number | undefined;
    if (lo === undefined || hi === undefined) return { points: [], sampled: false };
    const step = (hi - lo) / (SCATTER_POINTS - 1);
    // Each pick reads its columns from the covering index itself (no table lookup: 2,000 random page reads cost more than the seeks).
    const picks = this.st
      .get(
        `with recursive s(k) as (select 0 union all select k + 1 from s where k + 1 < ${SCATTER_POINTS})
         select distinct (select json_array(finished_at, duration_ms, tool, outcome) from op_runs
           where ${where.replace('finished_at >= @from', 'finished_at >= @lo + cast(s.k * @step as integer)')} order by finished_at limit 1) from s`,
      )
      .pluck()
      .all({ ...params, lo, step }) as (string | null)[];
    const rows = picks
      .filter((p): p is string => p !== null)
      .map((p) => {
        const [at, ms, tool, outcome] = JSON.parse(p) as [number, number, string, string];
        return { at, ms, tool, outcome };
      })
      .sort((a, b) => a.at - b.at);
    return { points: map(rows), sampled: true };
  }

  analytics(r: Range): ToolAnalytics {
    const tools = this.stats(r);
    const byTool = this.errors(r);
    const codes = new Map<ToolErrorCode, number>();
    for (const e of byTool) codes.set(e.code, (codes.get(e.code) ?? 0) + e.count);
    const trips = this.trips(r);
    const tripsByTool = new Map<string, number>();
    const tripsByHost = new Map<string, number>();
    for (const t of trips) {
      tripsByTool.set(t.tool, (tripsByTool.get(t.tool) ?? 0) + t.trips);
      tripsByHost.set(t.host, (tripsByHost.get(t.host) ?? 0) + t.trips);
    }
    const runs = tools.reduce((a, t) => a + t.runs, 0);
    const scatter = this.scatter(r, runs);
    const names = new Set([...tools.map((t) => t.tool), ...tripsByTool.keys()]);
    const stat = new Map(tools.map((t) => [t.tool, t]));
    return {
      ...windowInfo(r),
      percentiles: r.exact ? 'exact' : 'rollup',
      tools,
      errors: [...codes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
      errorsByTool: byTool,
      health: [...names].sort().map((tool) => ({
        tool,
        successRate: stat.get(tool)?.successRate ?? null,
        p95Ms: stat.get(tool)?.p95Ms ?? null,
        runs: stat.get(tool)?.runs ?? 0,
        breakerTrips: tripsByTool.get(tool) ?? 0,
      })),
      hosts: [...tripsByHost].map(([host, t]) => ({ host, trips: t })).sort((a, b) => b.trips - a.trips || a.host.localeCompare(b.host)),
      scatter: scatter.points,
      scatterSampled: scatter.sampled,
    };
  }
}
