import type SQLite from 'better-sqlite3';
import type { DeliveryStatus, WebhookStats } from '../../../preload/contract/webhooks.ts';
import { iso } from '../util/time.ts';

/** Latency percentiles are taken over this many of the latest answered attempts. */
const LATENCY_WINDOW = 1000;

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Per-webhook statistics: delivery counts by outcome, success rate over
 * finished deliveries, the last attempt, and latency p50/p95 of answered attempts.
 */
export async function webhookStats(sqlite: SQLite.Database, ids: string[]): Promise<Map<string, WebhookStats>> {
  const out = new Map<string, WebhookStats>();
  if (ids.length === 0) return out;
  const counts = sqlite.prepare<[string], { status: DeliveryStatus; n: number }>('select status, count(*) as n from deliveries where webhook_id = ? group by status');
  const last = sqlite.prepare<[string], { started_at: number; status: DeliveryStatus }>(
    `select a.started_at, d.status from delivery_attempts a join deliveries d on d.id = a.delivery_id
     where a.webhook_id = ? order by a.seq desc limit 1`,
  );
  const lat = sqlite.prepare<[string, number], { duration_ms: number }>(
    'select duration_ms from delivery_attempts where webhook_id = ? and status_code is not null order by seq desc limit ?',
  );
  for (const id of ids) {
    const by = Object.fromEntries(counts.all(id).map((r) => [r.status, r.n])) as Partial<Record<DeliveryStatus, number>>;
    const succeeded = by.succeeded ?? 0;
    const failed = (by.failed ?? 0) + (by.dead ?? 0);
    const pending = (by.pending ?? 0) + (by.delivering ?? 0);
    const l = last.get(id);
    const durations = lat.all(id, LATENCY_WINDOW).map((r) => r.duration_ms).sort((a, b) => a - b);
    out.set(id, {
      total: succeeded + failed + pending,
      succeeded,
      failed,
      pending,
      successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
      lastDeliveryAt: l ? iso(l.started_at) : null,
      lastStatus: l ? l.status : null,
      latencyP50Ms: percentile(durations, 50),
      latencyP95Ms: percentile(durations, 95),
    });
  }
  return out;
}
