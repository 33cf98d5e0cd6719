import type { CoreContext } from '../context.ts';

const CHUNK = 5_000;
const MINUTE_ROLLUP_KEEP_MS = 2 * 24 * 3_600_000;
const HOUR_ROLLUP_KEEP_MS = 90 * 24 * 3_600_000;

/** Ids summed per statement while walking back from the newest row (one short statement each, then a yield). */
const BYTE_WINDOW = 20_000;

/** The lowest id the byte budget keeps: the newest rows whose stored headers, query and body fit in `budget` bytes. */
async function firstWithinBytes(sqlite: CoreContext['sqlite'], maxId: number, budget: number): Promise<number> {
  const sum = sqlite.prepare(`select coalesce(sum(coalesce(length(body), 0) + length(headers) + length(query)), 0) from relay_requests where id > ? and id <= ?`).pluck();
  const rows = sqlite.prepare(`select id, coalesce(length(body), 0) + length(headers) + length(query) as b from relay_requests where id > ? and id <= ? order by id desc`);
  const minId = (sqlite.prepare(`select min(id) from relay_requests`).pluck().get() as number | null) ?? 0;
  let total = 0;
  for (let hi = maxId; hi >= minId; hi -= BYTE_WINDOW) {
    const lo = Math.max(0, hi - BYTE_WINDOW);
    const n = sum.get(lo, hi) as number;
    if (total + n > budget) {
      for (const r of rows.iterate(lo, hi) as Iterable<{ id: number; b: number }>) {
        total += r.b;
        if (total > budget) return r.id + 1;
      }
    }
    total += n;
    await new Promise((r) => setImmediate(r));
  }
  return 0;
}

/**
 * Apply the retention settings (count, age and bytes) to the request log, in small
 * chunks so the receiver's commits are never held up for long. The rollups
 * keep the history the analytics need; their fine grain is pruned too.
 */
export async function applyRetention(ctx: CoreContext, now = ctx.clock.now()): Promise<{ deleted: number }> {
  const keep = await ctx.settings.get('relay.retention.count');
  const bytes = await ctx.settings.get('relay.retention.bytes');
  const days = await ctx.settings.get('relay.retention.days');
  const cutoff = now - days * 86_400_000;
  const { sqlite } = ctx;
  // Ids grow with arrival, so the oldest rows are the lowest ids.
  const firstKept = sqlite.prepare(`select id from relay_requests order by id desc limit 1 offset ?`).pluck().get(keep - 1) as number | undefined;
  const firstRecent = sqlite.prepare(`select id from relay_requests where received_at >= ? order by id limit 1`).pluck().get(cutoff) as number | undefined;
  const maxId = sqlite.prepare(`select max(id) from relay_requests`).pluck().get() as number | null;
  if (maxId === null) return { deleted: 0 };
  // Everything below `below` goes: older than the cutoff, beyond the newest `keep`, or beyond the byte budget.
  const below = Math.max(firstKept ?? 0, firstRecent ?? maxId + 1, await firstWithinBytes(sqlite, maxId, bytes));
  const del = sqlite.prepare(`delete from relay_requests where id in (select id from relay_requests where id < ? order by id limit ${CHUNK})`);
  let deleted = 0;
  for (;;) {
    const n = del.run(below).changes;
    deleted += n;
    if (n < CHUNK) break;
    await new Promise((r) => setImmediate(r));
  }
  sqlite.prepare(`delete from relay_stats_minute where bucket < ?`).run(now - MINUTE_ROLLUP_KEEP_MS);
  sqlite.prepare(`delete from relay_latency_minute where bucket < ?`).run(now - MINUTE_ROLLUP_KEEP_MS);
  sqlite.prepare(`delete from relay_verification_minute where bucket < ?`).run(now - MINUTE_ROLLUP_KEEP_MS);
  sqlite.prepare(`delete from relay_stats_hour where bucket < ?`).run(now - HOUR_ROLLUP_KEEP_MS);
  sqlite.prepare(`delete from relay_latency_hour where bucket < ?`).run(now - HOUR_ROLLUP_KEEP_MS);
  return { deleted };
}
