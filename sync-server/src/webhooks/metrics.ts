import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { sql } from 'kysely';
import type { Db } from '../db/dialect.ts';

/** Delivery metrics (SPEC §3.9 /metrics): attempts by outcome, lag behind publication, what is due now. */
export function createDeliveryMetrics(registry: Registry, db: Db, now: () => number) {
  const deliveries = new Counter({
    name: 'sync_webhook_deliveries_total',
    help: 'Delivery attempts by outcome: succeeded, failed (will retry), dead, fenced (a late result refused after a takeover)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'sync_webhook_delivery_lag_seconds',
    help: 'From an event reaching the server to the first attempt of its delivery',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'sync_webhook_deliveries_due',
    help: 'Deliveries due now and not claimed by any instance (the backlog)',
    registers: [registry],
    async collect() {
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from team_deliveries where next_attempt_at <= ${now()} and status in ('pending', 'failed')`.execute(db);
      this.set(Number(rows[0]?.n ?? 0));
    },
  });
  return { deliveries, lag };
}
export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>;
