import { Anchor, Button, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { ChangeCounts, WatchStatusBadge } from './badges.tsx';
import { WatchDialog } from './WatchDialog.tsx';
import { Truncated } from '../../components/Truncated.tsx';

export function WatchList() {
  const [creating, setCreating] = useState(false);
  const q = useCall('watches.list', { limit: 500 });
  useInvalidateOn(['watches.changed', 'watch.changed'], ['watches.list']);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Watches</Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New watch
        </Button>
      </Group>
      {q.isPending ? (
        <Loading label="Loading watches…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty title="No watches yet">
          A watch re-runs a tool or template on a schedule and tells you what is new, what vanished and what changed since the run before.
        </Empty>
      ) : (
        <Table highlightOnHover verticalSpacing="sm" aria-label="Watches">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Schedule</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Next run</Table.Th>
              <Table.Th>Last change</Table.Th>
              <Table.Th>Runs</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>
                  <Truncated text={w.name} maw={360}>
                    <Anchor component={Link} to={`/watches/${w.id}`} fw={600}>{w.name}</Anchor>
                  </Truncated>
                  <Text size="xs" c="dimmed">{w.tool ?? w.template ?? (w.builtin === 'site-health' ? 'built-in: every site of the manifest' : w.builtin)}{w.inputs.length ? ` · ${w.inputs.join(', ')}` : ''}</Text>
                </Table.Td>
                <Table.Td><Text size="sm">{w.schedule.description}</Text></Table.Td>
                <Table.Td><WatchStatusBadge status={w.status} /></Table.Td>
                <Table.Td>
                  {w.nextRunAt ? (
                    <Tooltip label={formatDateTime(w.nextRunAt)}><Text size="sm">{formatRelative(w.nextRunAt)}</Text></Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed">—</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {w.lastChangeAt && w.lastChangeCounts ? (
                    <Group gap="xs" wrap="nowrap">
                      <ChangeCounts counts={w.lastChangeCounts} />
                      <Tooltip label={formatDateTime(w.lastChangeAt)}><Text size="xs" c="dimmed">{formatRelative(w.lastChangeAt)}</Text></Tooltip>
                    </Group>
                  ) : (
                    <Text size="sm" c="dimmed">none yet</Text>
                  )}
                </Table.Td>
                <Table.Td><Text size="sm">{w.runs}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {creating && <WatchDialog onClose={() => setCreating(false)} />}
    </Stack>
  );
}
