import { z } from 'zod';
import {
  WebhookEvents,
  WebhookHeaders,
  WebhookSecret,
  WebhookUrl,
  WEBHOOK_TIMEOUT_MS,
  DELIVERY_STATUSES,
  type WebhookStats,
} from '../../../preload/contract/webhooks.ts';
import { REDACTED } from '../../../main/core/util/secret-names.ts';
import type { TeamDeliveriesTable, TeamDeliveryAttemptsTable, TeamWebhooksTable } from '../db/tables.ts';

/** Team webhooks take the desktop's field rules (SPEC §3.3), so a webhook valid on one side is valid on the other. */
const TimeoutMs = z.number().int().min(WEBHOOK_TIMEOUT_MS.min).max(WEBHOOK_TIMEOUT_MS.max);

export const CreateTeamWebhook = z.object({
  url: WebhookUrl,
  events: WebhookEvents,
  secret: WebhookSecret.optional(),
  headers: WebhookHeaders.optional(),
  description: z.string().max(1000).optional(),
  timeout_ms: TimeoutMs.optional(),
});

export const UpdateTeamWebhook = z
  .object({
    url: WebhookUrl.optional(),
    events: WebhookEvents.optional(),
    headers: WebhookHeaders.optional(),
    description: z.string().max(1000).optional(),
    active: z.boolean().optional(),
    timeout_ms: TimeoutMs.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });

export const DeliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function toWireWebhook(r: TeamWebhooksTable, stats: WebhookStats) {
  const headers = JSON.parse(r.headers) as Record<string, string>;
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    // Custom headers are where receivers' API keys go: names only, values masked.
    headers: Object.fromEntries(Object.keys(headers).map((k) => [k, REDACTED])),
    active: Number(r.active) === 1,
    timeout_ms: Number(r.timeout_ms),
    disabled_reason: r.disabled_reason,
    created_by: r.created_by,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    stats,
  };
}

export function toWireAttempt(a: TeamDeliveryAttemptsTable) {
  return {
    id: a.id,
    chain: Number(a.chain),
    number: Number(a.number),
    started_at: iso(a.started_at),
    duration_ms: Number(a.duration_ms),
    request_headers: JSON.parse(a.request_headers) as Record<string, string>,
    status_code: a.status_code === null ? null : Number(a.status_code),
    response_headers: JSON.parse(a.response_headers) as Record<string, string>,
    response_body: a.response_body,
    error_code: a.error_code,
    error: a.error,
  };
}

export function toWireDelivery(d: TeamDeliveriesTable, attempts: TeamDeliveryAttemptsTable[] = []) {
  return {
    id: d.id,
    webhook_id: d.webhook_id,
    event_id: d.event_id,
    event: d.event_type,
    status: d.status,
    attempts: Number(d.attempts),
    chain: Number(d.chain),
    next_attempt_at: d.status === 'pending' || d.status === 'failed' ? iso(d.next_attempt_at) : null,
    last_status_code: d.last_status_code === null ? null : Number(d.last_status_code),
    last_latency_ms: d.last_latency_ms === null ? null : Number(d.last_latency_ms),
    last_error: d.last_error,
    created_at: iso(d.created_at),
    updated_at: iso(d.updated_at),
    history: attempts.map(toWireAttempt),
  };
}
