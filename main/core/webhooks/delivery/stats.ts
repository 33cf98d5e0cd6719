import type { DeliveryStatus, WebhookStats } from '../../../../preload/contract/webhooks.ts';

/** Latency percentiles are taken over this many of the latest answered attempts. */
export const LATENCY_WINDOW = 1000;

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Per-webhook statistics from delivery counts by status, the last attempt and
 * the latest answered attempts' durations: success rate over finished
 * deliveries (dead counts as failed), latency p50/p95.
 */
export function summarizeStats(
  by: Partial<Record<DeliveryStatus, number>>,
  last: { startedAt: number; status: DeliveryStatus } | null,
  durations: number[],
): WebhookStats {
  const succeeded = by.succeeded ?? 0;
  const failed = (by.failed ?? 0) + (by.dead ?? 0);
  const pending = (by.pending ?? 0) + (by.delivering ?? 0);
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    total: succeeded + failed + pending,
    succeeded,
    failed,
    pending,
    successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    lastDeliveryAt: last ? new Date(last.startedAt).toISOString() : null,
    lastStatus: last ? last.status : null,
    latencyP50Ms: percentile(sorted, 50),
    latencyP95Ms: percentile(sorted, 95),
  };
}
