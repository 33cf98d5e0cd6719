/** The sync server's schema. Times are INTEGER epoch ms, booleans 0/1, JSON as text: valid on SQLite and PostgreSQL. */
export interface TeamsTable {
  id: string;
  name: string;
  /** The team's change sequence: bumped in the transaction of each change, so a row lock orders commits. */
  seq: number;
  created_at: number;
}

export interface MembersTable {
  id: string;
  team_id: string;
  name: string;
  role: 'admin' | 'member';
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface AuditTable {
  team_id: string;
  seq: number;
  member_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  detail: string;
  at: number;
}

export interface SharedTemplatesTable {
  team_id: string;
  id: string;
  name: string;
  version: number;
  deleted: number;
  /** JSON text; '{}' for a tombstone. */
  definition: string;
  seq: number;
  created_by: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ChannelsTable {
  id: string;
  team_id: string;
  name: string;
  /** SHA-256 (hex) of the channel URL's token. */
  token_hash: string;
  created_by: string | null;
  created_at: number;
}

/** One request a channel took, byte-exact; `seq` is the team's change sequence (the stream's event id). */
export interface ChannelRequestsTable {
  team_id: string;
  seq: number;
  id: string;
  channel_id: string;
  method: string;
  path: string;
  query: string;
  /** JSON [[name, value], ...] as received. */
  headers: string;
  body: Buffer;
  size: number;
  source_ip: string | null;
  received_at: number;
}

/** rate-limiter-flexible's PostgreSQL store (its own layout), created here so instances never race to create it. */
export interface RateLimitsTable {
  key: string;
  points: number;
  expire: number | null;
}

export interface TeamWebhooksTable {
  id: string;
  team_id: string;
  url: string;
  description: string;
  /** JSON array of event types. */
  events: string;
  secret: string;
  /** JSON object of custom headers. */
  headers: string;
  active: number;
  timeout_ms: number;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export type TeamDeliveryStatus = 'pending' | 'delivering' | 'succeeded' | 'failed' | 'dead';

export interface TeamDeliveriesTable {
  id: string;
  team_id: string;
  webhook_id: string;
  /** The published event's id: the `webhook-id` header, stable across retries and replays. */
  event_id: string;
  event_type: string;
  /** The exact body sent. */
  payload: string;
  status: TeamDeliveryStatus;
  attempts: number;
  /** A replay starts a new chain; attempts are numbered within it. */
  chain: number;
  /** Due time; while claimed it equals lease_until, so an abandoned claim falls due again. Null when finished. */
  next_attempt_at: number | null;
  lease_until: number | null;
  /** The fencing token: only the holder of this claim may record the attempt. */
  claim_id: string | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamDeliveryAttemptsTable {
  id: string;
  team_id: string;
  delivery_id: string;
  webhook_id: string;
  chain: number;
  number: number;
  started_at: number;
  duration_ms: number;
  request_headers: string;
  status_code: number | null;
  response_headers: string;
  response_body: string | null;
  error_code: string | null;
  error: string | null;
}

export interface TeamEventsTable {
  team_id: string;
  id: string;
  event_type: string;
  occurred_at: number;
  data: string;
  member_id: string | null;
  received_at: number;
}

export interface SyncDatabase {
  teams: TeamsTable;
  members: MembersTable;
  audit: AuditTable;
  shared_templates: SharedTemplatesTable;
  rate_limits: RateLimitsTable;
  channels: ChannelsTable;
  channel_requests: ChannelRequestsTable;
  team_webhooks: TeamWebhooksTable;
  team_deliveries: TeamDeliveriesTable;
  team_delivery_attempts: TeamDeliveryAttemptsTable;
  team_events: TeamEventsTable;
}
