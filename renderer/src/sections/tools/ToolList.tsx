import { Badge, Group, Table, Text, Tooltip } from '@mantine/core';
import { useCall } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { ENTITY_TYPES } from '../../../../preload/contract/entities.ts';

/** Every registered tool: what it takes, which hosts it contacts and at what rate. */
export function ToolList() {
  const q = useCall('tools.list', {});
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.length === 0) return <Empty title="No tools registered" />;
  return (
    <Table striped highlightOnHover withTableBorder aria-label="Tools">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Tool</Table.Th>
          <Table.Th>Accepts</Table.Th>
          <Table.Th>Hosts</Table.Th>
          <Table.Th>Rate limit per host</Table.Th>
          <Table.Th>Parameters</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {q.data.map((t) => {
          const params = Object.keys(t.paramsSchema.properties ?? {});
          return (
            <Table.Tr key={t.name}>
              <Table.Td maw={360}>
                <Text fw={600} size="sm">
                  {t.title} <Text span c="dimmed" ff="monospace" size="xs">{t.name}</Text>
                </Text>
                <Text size="xs" c="dimmed">
                  {t.description}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {t.accepts.length === ENTITY_TYPES.length ? (
                    <Badge variant="outline">any type</Badge>
                  ) : (
                    t.accepts.map((a) => (
                      <Badge key={a} variant="light">
                        {a}
                      </Badge>
                    ))
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {t.hosts.length === 0 ? (
                  <Text size="sm" c="dimmed">offline</Text>
                ) : t.hosts.length > 3 ? (
                  <Tooltip label={t.hosts.join(', ')} multiline w={420}>
                    <Text size="sm">
                      {t.hosts.slice(0, 3).join(', ')} and {t.hosts.length - 3} more
                    </Text>
                  </Tooltip>
                ) : (
                  <Text size="sm">{t.hosts.join(', ')}</Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {t.rateLimit.perSecond}/s, burst {t.rateLimit.burst}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {params.join(', ') || 'none'}
                </Text>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
