import { Badge, Group, Text } from '@mantine/core';
import type { WatchCounts, WatchRunStatus, WatchStatus } from '../../../../preload/contract/watches.ts';

const RUN_COLORS: Record<WatchRunStatus, string> = { starting: 'gray', running: 'blue', completed: 'green', failed: 'red', cancelled: 'orange' };

export function WatchStatusBadge({ status, ...rest }: { status: WatchStatus; 'data-testid'?: string }) {
  return (
    <Badge color={status === 'active' ? 'green' : 'gray'} variant="light" {...rest}>
      {status}
    </Badge>
  );
}

export function RunStatusBadge({ status }: { status: WatchRunStatus }) {
  return (
    <Badge color={RUN_COLORS[status]} variant="light">
      {status}
    </Badge>
  );
}

/** "+2 −1 ~0", each with an accessible label. */
export function ChangeCounts({ counts, baseline }: { counts: WatchCounts; baseline?: boolean }) {
  if (baseline) return <Text size="sm" c="dimmed">baseline ({counts.new} finds)</Text>;
  if (counts.new + counts.vanished + counts.changed === 0) return <Text size="sm" c="dimmed">no change</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color="green" variant="light" aria-label={`${counts.new} new`}>+{counts.new}</Badge>
      <Badge color="red" variant="light" aria-label={`${counts.vanished} vanished`}>−{counts.vanished}</Badge>
      <Badge color="yellow" variant="light" aria-label={`${counts.changed} changed`}>~{counts.changed}</Badge>
    </Group>
  );
}
