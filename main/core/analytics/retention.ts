import type { CoreContext } from '../context.ts';
import { intervalWorker, type BackgroundWorker } from '../workers.ts';
import { DAY } from './recorder.ts';

/**
 * Retention of the analytics (SPEC §3.5 names none; these are the documented
 * defaults, README "Analytics"):
 * - raw rows (op_runs, queue_samples, breaker_trips): `analytics.retention.days`,
 *   default 35, so the 30-day window's scatter and every exact (≤ 24 h) read keep their source;
 * - hourly rollups (op_stats_hour, op_latency_hour, relay_verification_hour): 90 days
 *   (only the edge hours of a 7d/30d window read them);
 * - daily rollups (op_stats_day, op_latency_day): 400 days;
 * - entity_stats_hour mirrors the entities (kept by triggers): never pruned here.
 * Deletes go in short chunks with a yield between, so the executor's commits are never held up for long.
 */
export const HOUR_ROLLUP_KEEP_DAYS = 90;
export const DAY_ROLLUP_KEEP_DAYS = 400;
const CHUNK = 5_000;
const EVERY_MS = 3_600_000;

export async function applyAnalyticsRetention(
  ctx: Pick<CoreContext, 'sqlite' | 'settings'>,
  now: number,
): Promise<{ runs: number; samples: number; trips: number }> {
  const days = await ctx.settings.get('analytics.retention.days');
  const cutoff = now - days * DAY;
  const { sqlite } = ctx;
  const chunked = async (sql: string, ...args: number[]) => {
    const st = sqlite.prepare(sql);
    let n = 0;
    for (;;) {
      const c = st.run(...args).changes;
      n += c;
      if (c < CHUNK) return n;
      await new Promise((r) => setImmediate(r));
    }
  };
  const runs = await chunked(`delete from op_runs where id in (select id from op_runs where finished_at < ? order by finished_at limit ${CHUNK})`, cutoff);
  const samples = await chunked(
    `delete from queue_samples where (batch_id, bucket) in (select batch_id, bucket from queue_samples where bucket < ? limit ${CHUNK})`,
    cutoff,
  );
  const trips = await chunked(`delete from breaker_trips where id in (select id from breaker_trips where at < ? limit ${CHUNK})`, cutoff);
  const hourCut = now - HOUR_ROLLUP_KEEP_DAYS * DAY;
  const dayCut = now - DAY_ROLLUP_KEEP_DAYS * DAY;
  for (const t of ['op_stats_hour', 'op_latency_hour']) sqlite.prepare(`delete from ${t} where bucket < ?`).run(hourCut);
  sqlite.prepare(`delete from relay_verification_hour where bucket < ?`).run(hourCut);
  for (const t of ['op_stats_day', 'op_latency_day']) sqlite.prepare(`delete from ${t} where bucket < ?`).run(dayCut);
  return { runs, samples, trips };
}

/** Applies the retention at start and hourly (`core.startWorkers()`). */
export function analyticsRetentionWorker(ctx: CoreContext): BackgroundWorker {
  return intervalWorker('analytics.retention', EVERY_MS, () => applyAnalyticsRetention(ctx, ctx.clock.now()), ctx.log);
}
