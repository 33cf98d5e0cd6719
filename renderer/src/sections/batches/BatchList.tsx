import { Anchor, Button, Group, Pagination, SegmentedControl, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { BATCH_STATUSES, type BatchStatus } from '../../../../preload/contract/batches.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { BatchStatusBadge } from './BatchStatusBadge.tsx';
import { BatchProgress } from './BatchProgress.tsx';
import { useLiveProgress, withProgress } from './live-progress.ts';
import { NewBatchDialog } from './NewBatchDialog.tsx';
import { Truncated } from '../../components/Truncated.tsx';

const PAGE = 25;

export function BatchList() {
  const [status, setStatus] = useState<BatchStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const q = useCall('batches.list', { status: status === 'all' ? undefined : status, limit: PAGE, offset: (page - 1) * PAGE });
  const investigations = useCall('investigations.list', { limit: 1000 });
  const live = useLiveProgress();
  useInvalidateOn(['batches.changed'], ['batches.list']);
  const invName = new Map((investigations.data?.items ?? []).map((i) => [i.id, i.name]));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Batches</Title>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New batch
        </Button>
      </Group>
      <SegmentedControl
        aria-label="Filter by status"
        w="fit-content"
        size="xs"
        value={status}
        onChange={(v) => {
          setStatus(v as BatchStatus | 'all');
          setPage(1);
        }}
        data={[{ value: 'all', label: 'All' }, ...BATCH_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))]}
      />
      {q.isPending ? (
        <Loading label="Loading batches…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty title={status === 'all' ? 'No batches yet' : `No ${status} batches`}>
          A batch runs one tool (or a template) over many inputs: a pasted list, a TXT/CSV file or entities picked in the graph.
        </Empty>
      ) : (
        <>
          <Table highlightOnHover verticalSpacing="sm" aria-label="Batches">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Investigation</Table.Th>
                <Table.Th>Runs</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w="26%">Progress</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((raw) => {
                const b = withProgress(raw, live.get(raw.id));
                const done = b.counts.completed + b.counts.failed + b.counts.cancelled;
                return (
                  <Table.Tr key={b.id}>
                    <Table.Td>
                      <Truncated text={b.name} maw={320}>
                        <Anchor component={Link} to={`/batches/${b.id}`} fw={600}>
                          {b.name}
                        </Anchor>
                      </Truncated>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" component="div">
                        <Truncated text={invName.get(b.investigationId) ?? '—'} maw={220} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {b.tool ?? `template ${b.templateName ?? ''}`}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <BatchStatusBadge status={b.status} />
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        <BatchProgress counts={b.counts} size="md" animate={b.status === 'running'} />
                        <Text size="xs" c="dimmed">
                          {done.toLocaleString()} / {b.counts.total.toLocaleString()}
                          {b.counts.failed > 0 && <Text span c="red" size="xs">{` · ${b.counts.failed.toLocaleString()} failed`}</Text>}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(b.createdAt)}>
                        <Text size="sm" c="dimmed">
                          {formatRelative(b.createdAt)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {q.data.total > PAGE && <Pagination total={Math.ceil(q.data.total / PAGE)} value={page} onChange={setPage} aria-label="Pages" />}
        </>
      )}
      {creating && <NewBatchDialog onClose={() => setCreating(false)} />}
    </Stack>
  );
}
