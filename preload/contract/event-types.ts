/**
 * Webhook event types (SPEC §3.3). The single list: the outbox, the webhook
 * subscription validator, the UI checkboxes and the sync server import it.
 */
export const WEBHOOK_EVENT_TYPES = [
  'job.created',
  'job.started',
  'job.completed',
  'job.failed',
  'batch.created',
  'batch.started',
  'batch.completed',
  'batch.failed',
  'batch.cancelled',
  'investigation.created',
  'investigation.updated',
  'investigation.deleted',
  'entity.discovered',
  'report.generated',
  'report.shared',
  'relay.received',
  'webhook.test',
  'watch.changed',
  'site.degraded',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function eventFamily(t: WebhookEventType): string {
  return t.split('.')[0]!;
}
