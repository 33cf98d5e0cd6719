import type SQLite from 'better-sqlite3';
import type { DeliveryStatus, WebhookStats } from '../../../preload/contract/webhooks.ts';
import { LATENCY_WINDOW, summarizeStats } from './delivery/stats.ts';

/** Per-webhook statistics (SPEC §3.3) from the desktop's tables; the arithmetic is shared with the team server. */
export async function webhookStats(sqlite: SQLite.Database, ids: string[]): Promise<Map<string, WebhookStats>> {
  const out = new Map<string, WebhookStats>();
  if (ids.length === 0) return out;
  const counts = sqlite.prepare<[string], { status: DeliveryStatus; n: number }>(
    'select status, count(*) as n from deliveries where webhook_id = ? group by status',
  );
  const last = sqlite.prepare<[string], { started_at: number; status: DeliveryStatus }>(
    `select a.started_at, d.status from delivery_attempts a join deliveries d on d.id = a.delivery_id
     where a.webhook_id = ? order by a.seq desc limit 1`,
  );
  const lat = sqlite.prepare<[string, number], { duration_ms: number }>(
    'select duration_ms from delivery_attempts where webhook_id = ? and status_code is not null order by seq desc limit ?',
  );
  for (const id of ids) {
    const by = Object.fromEntries(counts.all(id).map((r) => [r.status, r.n])) as Partial<Record<DeliveryStatus, number>>;
    const l = last.get(id);
    const durations = lat.all(id, LATENCY_WINDOW).map((r) => r.duration_ms);
    out.set(id, summarizeStats(by, l ? { startedAt: l.started_at, status: l.status } : null, durations));
  }
  return out;
}
