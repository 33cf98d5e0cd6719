import { Badge, Code, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { Operation } from '../../../../preload/contract/batches.ts';
import { useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { BatchStatusBadge } from './BatchStatusBadge.tsx';

/** One operation in full: its input, outcome, and every attempt the executor made. */
export function OperationDrawer({ operation: o, onClose }: { operation: Operation; onClose(): void }) {
  const attempts = useCall('batches.attempts', { operationId: o.id });
  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={<Title order={4}>Operation #{o.seq}</Title>}>
      <Stack gap="sm">
        <Group gap="xs">
          <BatchStatusBadge status={o.status} />
          <Badge variant="light">{o.tool}</Badge>
          {o.depth > 0 && <Badge variant="outline">follow-up, generation {o.depth}</Badge>}
        </Group>
        <Text size="sm">
          <b>{o.inputType}</b> <Code>{o.inputValue}</Code>
        </Text>
        {Object.keys(o.params).length > 0 && <Code block>{JSON.stringify(o.params, null, 2)}</Code>}
        {o.output && (
          <Text size="sm">
            {o.output.summary} — {o.output.entities} entities, {o.output.links} links
          </Text>
        )}
        {o.error && (
          <Text size="sm" c="red">
            {o.errorKind ? `${o.errorKind}: ` : ''}
            {o.error}
          </Text>
        )}
        <Title order={5}>Attempts</Title>
        {attempts.isPending ? (
          <Loading />
        ) : attempts.isError ? (
          <ErrorState error={attempts.error} />
        ) : attempts.data.length === 0 ? (
          <Text size="sm" c="dimmed">Not tried yet.</Text>
        ) : (
          <Table fz="sm" aria-label="Attempts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Took</Table.Th>
                <Table.Th>Outcome</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {attempts.data.map((a) => (
                <Table.Tr key={a.attempt}>
                  <Table.Td>{a.attempt}</Table.Td>
                  <Table.Td>{formatDateTime(a.startedAt)}</Table.Td>
                  <Table.Td>{a.durationMs} ms</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={a.outcome === 'completed' ? 'teal' : 'red'}>
                      {a.outcome}
                      {a.error ? ` — ${a.error}` : ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Drawer>
  );
}
