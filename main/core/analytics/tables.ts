import type { Generated } from 'kysely';

/** Tables of the analytics (migration 009). Times are epoch ms; buckets are the start of their hour (or minute). */
export interface OpRunsTable {
  id: Generated<number>;
  finished_at: number;
  investigation_id: string;
  batch_id: string;
  tool: string;
  outcome: 'completed' | 'failed' | 'retry' | 'refused';
  /** Typed error code (ToolErrorCode), '' for a success. */
  code: string;
  duration_ms: number;
}
export interface OpStatsHourTable {
  /** '*' for the sum over all investigations. */
  investigation_id: string;
  bucket: number;
  tool: string;
  outcome: string;
  code: string;
  count: number;
  duration_sum: number;
}
export interface OpLatencyHourTable {
  investigation_id: string;
  bucket: number;
  tool: string;
  bin: number;
  count: number;
}
export interface QueueSamplesTable {
  batch_id: string;
  bucket: number;
  investigation_id: string;
  at: number;
  pending: number;
  running: number;
}
export interface BreakerTripsTable {
  id: Generated<number>;
  at: number;
  host: string;
  tool: string;
  investigation_id: string;
}
export interface WebhookStatsHourTable {
  bucket: number;
  webhook_id: string;
  ok: number;
  code: string;
  count: number;
  duration_sum: number;
}
export interface WebhookLatencyHourTable {
  bucket: number;
  webhook_id: string;
  bin: number;
  count: number;
}
export interface RelayVerificationTable {
  bucket: number;
  verification: string;
  endpoint_id: string;
  count: number;
}

/** Entities first seen per hour and type (migration 015), kept by triggers on entities; '*' sums every investigation. */
export interface EntityStatsHourTable {
  investigation_id: string;
  bucket: number;
  type: string;
  count: number;
}

export interface AnalyticsTables {
  op_runs: OpRunsTable;
  op_stats_hour: OpStatsHourTable;
  op_latency_hour: OpLatencyHourTable;
  /** The same rows at a daily grain (bucket = UTC midnight; migration 015), for windows beyond 24 h. */
  op_stats_day: OpStatsHourTable;
  op_latency_day: OpLatencyHourTable;
  entity_stats_hour: EntityStatsHourTable;
  queue_samples: QueueSamplesTable;
  breaker_trips: BreakerTripsTable;
  webhook_stats_hour: WebhookStatsHourTable;
  webhook_latency_hour: WebhookLatencyHourTable;
  relay_verification_minute: RelayVerificationTable;
  relay_verification_hour: RelayVerificationTable;
}
