import { useInvalidateOn } from '../../api/hooks.ts';

/** Webhook screens refresh as deliveries happen and subscriptions change. */
export function useLiveWebhooks(): void {
  useInvalidateOn(['webhooks.changed', 'webhooks.deliveries'], ['webhooks.list', 'webhooks.get', 'webhooks.deliveries.list', 'webhooks.deliveries.get']);
}

export const WEBHOOK_QUERIES = ['webhooks.list', 'webhooks.get', 'webhooks.deliveries.list', 'webhooks.deliveries.get'] as const;
