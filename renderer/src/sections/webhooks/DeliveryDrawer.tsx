import { Accordion, Badge, Button, Code, Drawer, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeliveryAttempt, DeliveryDetail } from '../../../../preload/contract/webhooks.ts';
import { call, useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { DeliveryStatusBadge } from './DeliveryStatusBadge.tsx';
import { WEBHOOK_QUERIES } from './live.ts';

function Headers({ headers, label }: { headers: Record<string, string>; label: string }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <Text size="xs" c="dimmed">none</Text>;
  return (
    <Table fz="xs" withRowBorders={false} verticalSpacing={2} aria-label={label}>
      <Table.Tbody>
        {entries.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }} fw={600}>
              {k}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-all', fontFamily: 'var(--mantine-font-family-monospace)' }}>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function AttemptTitle({ a }: { a: DeliveryAttempt }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" fw={600}>
        {a.chain > 0 ? `Replay ${a.chain}, attempt ${a.number}` : `Attempt ${a.number}`}
      </Text>
      <Badge color={a.statusCode !== null && a.statusCode < 300 && a.statusCode >= 200 ? 'green' : 'red'} variant="light" size="sm">
        {a.statusCode ?? a.errorCode ?? 'error'}
      </Badge>
      <Text size="xs" c="dimmed">
        {a.durationMs} ms · {formatDateTime(a.startedAt)}
      </Text>
    </Group>
  );
}

function Attempt({ a }: { a: DeliveryAttempt }) {
  return (
    <Stack gap="xs">
      {a.error && (
        <Text size="sm" c="red">
          {a.errorCode ? `${a.errorCode}: ` : ''}
          {a.error}
        </Text>
      )}
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        Request headers
      </Text>
      <Headers headers={a.requestHeaders} label="Request headers" />
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        Response {a.statusCode !== null ? `· HTTP ${a.statusCode}` : ''}
      </Text>
      <Headers headers={a.responseHeaders} label="Response headers" />
      <Code block mah={200} style={{ overflow: 'auto' }} aria-label="Response body">
        {a.responseBody === null ? '(no response)' : a.responseBody || '(empty body)'}
      </Code>
    </Stack>
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** A delivery: its payload, every attempt in full, and replay. */
export function DeliveryDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useCall('webhooks.deliveries.get', { id: id ?? '' }, { enabled: id !== null });
  const qc = useQueryClient();
  const replay = useMutation<DeliveryDetail, Error, string>({
    mutationFn: (deliveryId) => call('webhooks.deliveries.replay', { id: deliveryId }),
    onSuccess: (d) => {
      for (const m of WEBHOOK_QUERIES) void qc.invalidateQueries({ queryKey: [m] });
      notifications.show({ color: d.status === 'succeeded' ? 'green' : 'orange', message: `Replayed: ${d.status}` });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Could not replay', message: e.message }),
  });
  const d = q.data;
  const replayable = d && (d.status === 'succeeded' || d.status === 'dead' || d.status === 'failed');
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="xl" title={<Title order={4}>Delivery</Title>} closeButtonProps={{ 'aria-label': 'Close' }} scrollAreaComponent={ScrollArea.Autosize}>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : d ? (
        <Stack gap="md" aria-label="Delivery details">
          <Group justify="space-between">
            <Group gap="xs">
              <Badge variant="light" tt="none">
                {d.event}
              </Badge>
              <DeliveryStatusBadge status={d.status} />
              <Text size="sm" c="dimmed">
                {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
              </Text>
            </Group>
            <Button leftSection={<IconRefresh size={16} />} onClick={() => replay.mutate(d.id)} loading={replay.isPending} disabled={!replayable}>
              Replay
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            webhook-id <Code>{d.eventId}</Code> · created {formatDateTime(d.createdAt)}
            {d.nextAttemptAt ? ` · next attempt ${formatDateTime(d.nextAttemptAt)}` : ''}
          </Text>
          <Text size="xs" fw={700} tt="uppercase" c="dimmed">
            Payload
          </Text>
          <Code block mah={220} style={{ overflow: 'auto' }} aria-label="Payload">
            {pretty(d.payload)}
          </Code>
          <Text size="xs" fw={700} tt="uppercase" c="dimmed">
            Attempts
          </Text>
          {d.attemptsLog.length === 0 ? (
            <Text size="sm" c="dimmed">
              Not attempted yet.
            </Text>
          ) : (
            <Accordion variant="separated" defaultValue={d.attemptsLog[0]!.id} aria-label="Attempts">
              {d.attemptsLog.map((a) => (
                <Accordion.Item key={a.id} value={a.id}>
                  <Accordion.Control>
                    <AttemptTitle a={a} />
                  </Accordion.Control>
                  <Accordion.Panel>
                    <Attempt a={a} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          )}
        </Stack>
      ) : null}
    </Drawer>
  );
}
