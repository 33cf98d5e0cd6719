import type { Generated } from 'kysely';

/** Tables of the local webhook relay (migration 005). */
export interface RelayEndpointsTable {
  id: string;
  slug: string;
  provider: string;
  secret_sealed: string | null;
  options: string; // JSON RelayProviderOptions
  forward_to: string | null;
  active: number;
  body_limit: number;
  tolerance_s: number;
  created_at: number;
  updated_at: number;
  /** Team channel this endpoint also takes requests from (migration 022); null = local receiver only. */
  channel_id: string | null;
}

/** The last channel event (team sequence number) an endpoint processed; written with the request it belongs to. */
export interface RelayChannelCursorsTable {
  endpoint_id: string;
  channel_id: string;
  last_seq: number;
  updated_at: number;
}

export interface RelayRulesTable {
  id: string;
  endpoint_id: string;
  name: string;
  event_type: string | null;
  match_path: string | null;
  match_value: string | null;
  template: string;
  investigation_id: string;
  inputs: string; // JSON
  active: number;
  trusted: number;
  created_at: number;
}

export interface RelayRequestsTable {
  id: Generated<number>;
  endpoint_id: string | null;
  slug: string | null;
  received_at: number;
  method: string;
  path: string;
  query: string;
  headers: string; // JSON [[name, value, mark?], ...]
  /** Values of redacted headers, sealed with ctx.secrets, so forwarding and replay stay byte-exact. */
  sealed_headers: string | null;
  body: Buffer | null;
  source_ip: string | null;
  user_agent: string | null;
  content_type: string | null;
  size: number;
  status: number;
  latency_ms: number;
  latency_bin: number;
  verification: string;
  error: string | null;
  delivery_id: string | null;
  event_type: string | null;
  duplicate_of: number | null;
  replay_of: number | null;
  forward_state: string | null;
}

/** Durable queue of work on accepted requests (forwarding, rules). */
export interface RelayJobsTable {
  id: Generated<number>;
  request_id: number;
  kind: 'forward' | 'rules';
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  next_at: number;
  last_error: string | null;
  /** The worker holding the job (migration 028) while `lease_until` is ahead; null when nobody does. */
  claim_id: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface RelayForwardsTable {
  id: string;
  request_id: number;
  attempt: number;
  url: string;
  status: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created_at: number;
}

export interface RelayRuleMatchesTable {
  id: string;
  request_id: number;
  rule_id: string;
  rule_name: string;
  outcome: string;
  batch_id: string | null;
  inputs: string;
  error: string | null;
  created_at: number;
}

/** Rollups maintained by triggers on insert into relay_requests (P5). */
export interface RelayStatsTable {
  bucket: number;
  endpoint_id: string;
  status: number;
  error: string;
  count: number;
  latency_sum: number;
}
export interface RelayLatencyTable {
  bucket: number;
  endpoint_id: string;
  bin: number;
  count: number;
}

export interface RelayTables {
  relay_endpoints: RelayEndpointsTable;
  relay_channel_cursors: RelayChannelCursorsTable;
  relay_rules: RelayRulesTable;
  relay_requests: RelayRequestsTable;
  relay_jobs: RelayJobsTable;
  relay_forwards: RelayForwardsTable;
  relay_rule_matches: RelayRuleMatchesTable;
  relay_stats_minute: RelayStatsTable;
  relay_stats_hour: RelayStatsTable;
  relay_latency_minute: RelayLatencyTable;
  relay_latency_hour: RelayLatencyTable;
}
