import { useState } from 'react';
import { Badge, Code, Drawer, Group, Pagination, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData } from '@tanstack/react-query';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { RunStatusBadge } from './badges.tsx';
import { RunResult } from './RunToolDialog.tsx';

const PAGE = 50;

/** The single tool runs of an investigation (newest first): what ran on what, and what came of it. */
export function ToolRunsTab({ investigationId }: { investigationId: string }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const q = useCall('toolRuns.list', { investigationId, limit: PAGE, offset: (page - 1) * PAGE }, { placeholderData: keepPreviousData });
  useInvalidateOn(['toolRuns.changed'], ['toolRuns.list']);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.total === 0) return <Empty title="No tool runs yet">Use “Run tool” above, or a node’s menu in the graph.</Empty>;
  return (
    <Stack gap="sm">
      <Table striped highlightOnHover withTableBorder aria-label="Tool runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Tool</Table.Th>
            <Table.Th>Input</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.items.map((r) => (
            <Table.Tr key={r.id} onClick={() => setOpen(r.id)} style={{ cursor: 'pointer' }} aria-label={`Run ${r.tool} on ${r.input.value}`}>
              <Table.Td title={formatDateTime(r.startedAt)}>{formatRelative(r.startedAt)}</Table.Td>
              <Table.Td ff="monospace">{r.tool}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Badge variant="light" size="sm">
                    {r.input.type}
                  </Badge>
                  <Text size="sm" truncate maw={260}>
                    {r.input.value}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>
                <RunStatusBadge status={r.status} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={r.error ? 'red' : undefined} truncate maw={420}>
                  {r.summary ?? r.error ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data.total > PAGE && <Pagination total={Math.ceil(q.data.total / PAGE)} value={page} onChange={setPage} aria-label="Run pages" />}
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="xl" title="Tool run" closeButtonProps={{ 'aria-label': 'Close' }}>
        {open && <RunDetail id={open} />}
      </Drawer>
    </Stack>
  );
}

function RunDetail({ id }: { id: string }) {
  const q = useCall('toolRuns.get', { id });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorState error={q.error} />;
  const r = q.data;
  return (
    <Stack gap="sm">
      <Text size="sm">
        <Code>{r.tool}</Code> on {r.input.type} <Code>{r.input.value}</Code>, {formatDateTime(r.startedAt)}
      </Text>
      {Object.keys(r.params).length > 0 && (
        <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {JSON.stringify(r.params)}
        </Text>
      )}
      <Text size="xs" c="dimmed" ff="monospace">
        {r.id}
      </Text>
      <RunResult run={r} />
    </Stack>
  );
}
