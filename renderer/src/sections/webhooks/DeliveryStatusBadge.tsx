import { Badge } from '@mantine/core';
import type { DeliveryStatus } from '../../../../preload/contract/webhooks.ts';

const COLORS: Record<DeliveryStatus, string> = {
  pending: 'gray',
  delivering: 'blue',
  succeeded: 'green',
  failed: 'orange',
  dead: 'red',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'pending',
  delivering: 'delivering',
  succeeded: 'succeeded',
  failed: 'failed, will retry',
  dead: 'dead',
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" radius="sm">
      {DELIVERY_STATUS_LABELS[status]}
    </Badge>
  );
}
