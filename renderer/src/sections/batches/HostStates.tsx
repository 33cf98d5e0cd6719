import { Badge, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import type { HostState } from '../../../../preload/contract/batches.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { formatDateTime } from '../../lib/time.ts';

const CIRCUIT: Record<HostState['circuit'], { color: string; label: string; help: string }> = {
  closed: { color: 'teal', label: 'closed', help: 'Requests flow normally' },
  open: { color: 'red', label: 'open', help: 'Too many transient failures in a row: requests are refused until the cool-down ends' },
  half_open: { color: 'yellow', label: 'half-open', help: 'One probe request is allowed; success closes the circuit, failure opens it again' },
};

/** The executor's per-host rate limits and circuit breakers, live. */
export function HostStates() {
  const q = useCall('batches.hostStates', {});
  useInvalidateOn(['hosts.changed'], ['batches.hostStates']);
  const hosts = [...(q.data ?? [])].sort((a, b) => rank(a) - rank(b) || a.host.localeCompare(b.host));
  return (
    <Paper withBorder radius="md" p="sm">
      <Title order={5} mb="xs">
        Hosts
      </Title>
      {hosts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {q.isPending ? 'Loading…' : 'No host contacted yet.'}
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4} aria-label="Hosts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Host</Table.Th>
              <Table.Th>Circuit</Table.Th>
              <Table.Th>Failures</Table.Th>
              <Table.Th>Rate</Table.Th>
              <Table.Th>Waiting until</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {hosts.map((h) => {
              const c = CIRCUIT[h.circuit];
              const until = [h.blockedUntil, h.circuit !== 'closed' ? h.probeAt : null].filter(Boolean).sort().at(-1);
              return (
                <Table.Tr key={h.host}>
                  <Table.Td ff="monospace">{h.host}</Table.Td>
                  <Table.Td>
                    <Tooltip label={c.help} multiline w={260}>
                      <Badge color={c.color} variant="light" size="sm">
                        {c.label}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>{h.consecutiveFailures}</Table.Td>
                  <Table.Td>
                    {h.perSecond}/s (burst {h.burst})
                  </Table.Td>
                  <Table.Td>{until ? formatDateTime(until) : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function rank(h: HostState): number {
  return h.circuit === 'open' ? 0 : h.circuit === 'half_open' ? 1 : 2;
}
