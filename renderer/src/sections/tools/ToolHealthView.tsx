import { useState } from 'react';
import { Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { ANALYTICS_WINDOWS, type AnalyticsWindow } from '../../../../preload/contract/analytics.ts';
import { useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import '../analytics/charts.ts';
import { ToolHealthRadar } from '../analytics/ToolHealthRadar.tsx';

/** Tool health on the Tools section: the same radar and breaker trips per host as in Analytics. */
export function ToolHealthView() {
  const [window, setWindow] = useState<AnalyticsWindow>('24h');
  const q = useCall('analytics.tools', { window }, { refetchInterval: 10_000 });
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Success rate, speed, volume and circuit-breaker trips of each tool over the window.</Text>
        <SegmentedControl aria-label="Window" value={window} onChange={(v) => setWindow(v as AnalyticsWindow)} data={ANALYTICS_WINDOWS.map((w) => ({ value: w, label: w }))} />
      </Group>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <ToolHealthRadar t={q.data} />
          <Table aria-label="Breaker trips per host">
            <Table.Thead>
              <Table.Tr><Table.Th>Host</Table.Th><Table.Th>Breaker trips</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.hosts.length === 0 ? (
                <Table.Tr><Table.Td colSpan={2}><Text size="sm" c="dimmed">No circuit opened in this window.</Text></Table.Td></Table.Tr>
              ) : (
                q.data.hosts.map((h) => (
                  <Table.Tr key={h.host}><Table.Td ff="monospace">{h.host}</Table.Td><Table.Td>{h.trips}</Table.Td></Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
