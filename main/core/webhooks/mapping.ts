import type { Delivery, DeliveryAttempt, Webhook, WebhookStats } from '../../../preload/contract/webhooks.ts';
import type { WebhookEventType } from '../../../preload/contract/event-types.ts';
import type { DeliveriesTable, DeliveryAttemptsTable, WebhooksTable } from './tables.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { maskedCustomHeaders } from './custom-headers.ts';

export function toWebhook(r: WebhooksTable, stats: WebhookStats, now: number): Webhook {
  const prevValid = r.previous_secret_sealed !== null && r.previous_secret_expires_at !== null && r.previous_secret_expires_at > now;
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: parseJson<WebhookEventType[]>(r.events, []),
    headers: maskedCustomHeaders(r.headers),
    active: r.active === 1,
    allowPrivateNetwork: r.allow_private_network === 1,
    timeoutMs: r.timeout_ms,
    disabledReason: r.disabled_reason,
    previousSecretExpiresAt: prevValid ? iso(r.previous_secret_expires_at) : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    stats,
  };
}

export function toDelivery(r: DeliveriesTable): Delivery {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    event: r.event_type as WebhookEventType,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' || r.status === 'failed' ? iso(r.next_attempt_at) : null,
    lastStatusCode: r.last_status_code,
    lastLatencyMs: r.last_latency_ms,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function toAttempt(r: Omit<DeliveryAttemptsTable, 'seq'>): DeliveryAttempt {
  return {
    id: r.id,
    chain: r.chain,
    number: r.number,
    startedAt: iso(r.started_at),
    durationMs: r.duration_ms,
    requestHeaders: parseJson<Record<string, string>>(r.request_headers, {}),
    statusCode: r.status_code,
    responseHeaders: parseJson<Record<string, string>>(r.response_headers, {}),
    responseBody: r.response_body,
    errorCode: r.error_code,
    error: r.error,
  };
}
