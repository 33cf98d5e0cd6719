import { Badge, Loader } from '@mantine/core';
import type { BatchStatus, OperationStatus } from '../../../../preload/contract/batches.ts';

export const STATUS_COLORS: Record<BatchStatus | OperationStatus, string> = {
  pending: 'gray',
  running: 'blue',
  paused: 'yellow',
  completed: 'teal',
  failed: 'red',
  cancelled: 'dark',
};

export function BatchStatusBadge({ status, size = 'sm' }: { status: BatchStatus | OperationStatus; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  return (
    <Badge
      color={STATUS_COLORS[status]}
      variant={status === 'running' ? 'light' : 'filled'}
      size={size}
      leftSection={status === 'running' ? <Loader size={8} color="blue" type="dots" /> : undefined}
      data-status={status}
    >
      {status}
    </Badge>
  );
}
