import type { Generated } from 'kysely';
import type { DeliveryStatus } from '../../../preload/contract/webhooks.ts';

export interface WebhooksTable {
  id: string;
  url: string;
  description: string;
  events: string; // JSON array of event types
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: number | null;
  headers: string; // JSON object
  active: number; // 0 | 1
  allow_private_network: number; // 0 | 1
  timeout_ms: number;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeliveriesTable {
  id: string;
  /** Outbox event id; the `webhook-id` header, stable across retries and replays. */
  event_id: string;
  webhook_id: string;
  event_type: string;
  payload: string; // the exact body sent
  status: DeliveryStatus;
  attempts: number;
  /** Replays start a new chain; attempts are numbered within it. */
  chain: number;
  next_attempt_at: number | null;
  /** A claim holds the delivery until then; a worker that died lets it go at expiry. */
  lease_until: number | null;
  claim_id: string | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeliveryAttemptsTable {
  seq: Generated<number>;
  id: string;
  delivery_id: string;
  webhook_id: string;
  chain: number;
  number: number;
  started_at: number;
  duration_ms: number;
  request_headers: string; // JSON
  status_code: number | null;
  response_headers: string; // JSON
  response_body: string | null;
  error_code: string | null;
  error: string | null;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
}
