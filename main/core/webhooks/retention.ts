import type { CoreContext } from '../context.ts';
import { tryWriteNow } from '../db/write.ts';
import { intervalWorker, type BackgroundWorker } from '../workers.ts';

/**
 * Retention of the webhook delivery log (`webhooks.retention.days`, #15 item 7).
 *
 * Only finished deliveries go: `succeeded` (delivered) and `dead` (dead-lettered), once untouched
 * (`updated_at`, the time of the last attempt or replay) for longer than the setting. `pending`, `failed` (a retry is scheduled) and
 * `delivering` (claimed, in flight) are never removed, also when their webhook is disabled: re-enabling it
 * sends them. Their attempts go with them in the same write.
 *
 * What the statistics read, and why they keep their meaning:
 * - analytics (`analytics/webhooks.ts`): windows up to 24 h read `delivery_attempts` directly, longer ones the
 *   hourly rollups (`webhook_stats_hour`, `webhook_latency_hour`), which an insert trigger keeps and a delete
 *   does not touch; the dead-letter count of every window reads `deliveries` (status dead, `updated_at` in the
 *   window). The setting's minimum (31 days) is longer than the longest window (30 d), so no analytics
 *   window ever loses a row to pruning;
 * - the per-webhook figures of `webhooks.list` (`webhooks/stats.ts`: counts by status, the last 1000 answered
 *   attempts' p50/p95) are read from the tables, so they describe the retained deliveries: the last
 *   `webhooks.retention.days` days plus everything unfinished.
 * Chunks of deliveries, each its own write through `tryWriteNow` (nothing is written while another
 * transaction is open; the rest waits for the next tick).
 */
export const DELIVERY_CHUNK = 500;
const EVERY_MS = 3_600_000;
const DAY = 86_400_000;

export interface PruneResult {
  deliveries: number;
  attempts: number;
  /** True when a tick stopped early because a transaction was open (the rest goes next tick). */
  deferred: boolean;
}

export async function applyDeliveryRetention(
  ctx: Pick<CoreContext, 'db' | 'sqlite' | 'settings'>,
  now: number,
  chunk = DELIVERY_CHUNK,
): Promise<PruneResult> {
  const days = await ctx.settings.get('webhooks.retention.days');
  const cutoff = now - days * DAY;
  const { sqlite } = ctx;
  // The status is read again by the delete itself, so a replay that claimed one of them in between keeps it.
  const pick = sqlite.prepare(`select id from deliveries where status in ('succeeded','dead') and updated_at < ? limit ${chunk}`).pluck();
  const delAttempts = sqlite.prepare(
    `delete from delivery_attempts where delivery_id in (select value from json_each(?))
       and delivery_id in (select id from deliveries where status in ('succeeded','dead') and updated_at < ?)`,
  );
  const delDeliveries = sqlite.prepare(
    `delete from deliveries where id in (select value from json_each(?)) and status in ('succeeded','dead') and updated_at < ?`,
  );
  const out: PruneResult = { deliveries: 0, attempts: 0, deferred: false };
  for (;;) {
    const done = tryWriteNow(ctx, () => {
      const ids = JSON.stringify(pick.all(cutoff));
      // Attempts first and explicitly (the foreign key would cascade too), so the count is the real one.
      const attempts = delAttempts.run(ids, cutoff).changes;
      const deliveries = delDeliveries.run(ids, cutoff).changes;
      return { attempts, deliveries };
    });
    if (!done) return { ...out, deferred: true };
    out.deliveries += done.value.deliveries;
    out.attempts += done.value.attempts;
    if (done.value.deliveries < chunk) return out;
    await new Promise((r) => setImmediate(r));
  }
}

/** Applies the delivery-log retention at start and hourly (`core.startWorkers()`). */
export function deliveryRetentionWorker(ctx: CoreContext): BackgroundWorker {
  return intervalWorker('webhooks.retention', EVERY_MS, () => applyDeliveryRetention(ctx, ctx.clock.now()), ctx.log);
}
