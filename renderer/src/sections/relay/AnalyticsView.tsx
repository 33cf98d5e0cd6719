import { useState } from 'react';
import { Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { BarElement, CategoryScale, Chart as ChartJS, Filler, Legend, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import { RELAY_WINDOWS, type RelayAnalytics, type RelayWindow } from '../../../../preload/contract/relay.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';

ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend, Filler);

function statusColor(status: number, i: number): string {
  const shade = (base: [number, number, number]) => `rgba(${base[0]}, ${base[1]}, ${base[2]}, ${0.85 - (i % 3) * 0.2})`;
  if (status < 300) return shade([47, 158, 68]);
  if (status < 400) return shade([28, 126, 214]);
  if (status < 500) return shade([240, 140, 0]);
  return shade([224, 49, 49]);
}

function label(at: string, window: RelayWindow): string {
  const d = new Date(at);
  if (window === '1h' || window === '24h') return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit' });
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)} ms`);

/** Relay charts over a window: requests by status, success rate, latency p50/p95, top errors. */
export function AnalyticsView() {
  const [window, setWindow] = useState<RelayWindow>('24h');
  const q = useCall('relay.analytics', { window }, { refetchInterval: 10_000 });
  useInvalidateOn(['relay.endpoints.changed'], ['relay.analytics']);
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">From rollups kept as requests arrive; refreshed every 10 s.</Text>
        <SegmentedControl aria-label="Window" value={window} onChange={(v) => setWindow(v as RelayWindow)} data={RELAY_WINDOWS.map((w) => ({ value: w, label: w }))} />
      </Group>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : <Charts a={q.data} window={window} />}
    </Stack>
  );
}

function Charts({ a, window }: { a: RelayAnalytics; window: RelayWindow }) {
  const labels = a.series.map((s) => label(s.at, window));
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 5 }} aria-label="Totals">
        <Stat label="Requests" value={a.totals.total.toLocaleString()} />
        <Stat label="Success rate" value={pct(a.totals.successRate)} />
        <Stat label="Error rate" value={pct(a.totals.errorRate)} />
        <Stat label="Average latency" value={ms(a.totals.avgLatencyMs)} />
        <Stat label="p95 latency" value={ms(a.totals.p95LatencyMs)} />
      </SimpleGrid>
      {a.totals.total === 0 ? (
        <Paper withBorder p="xl">
          <Empty title={`No requests in the last ${window}`}>Charts fill in as webhooks arrive.</Empty>
        </Paper>
      ) : (
        <>
          <Paper withBorder p="md" component="figure" aria-label="Requests by status over time" m={0}>
            <Title order={4} size="h5" mb="xs">Requests by status</Title>
            <div style={{ height: 260 }}>
              <Bar
                data={{
                  labels,
                  datasets: a.statuses.map((st, i) => ({ label: String(st), data: a.series.map((s) => s.byStatus[st] ?? 0), backgroundColor: statusColor(st, i), stack: 'status' })),
                }}
                options={{ maintainAspectRatio: false, animation: false, scales: { x: { stacked: true, ticks: { maxTicksLimit: 12 } }, y: { stacked: true, beginAtZero: true } } }}
              />
            </div>
          </Paper>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md" component="figure" aria-label="Success rate over time" m={0}>
              <Title order={4} size="h5" mb="xs">Success rate</Title>
              <div style={{ height: 220 }}>
                <Line
                  data={{ labels, datasets: [{ label: 'success %', data: a.series.map((s) => (s.successRate === null ? null : s.successRate * 100)), borderColor: 'rgb(47,158,68)', backgroundColor: 'rgba(47,158,68,0.15)', fill: true, spanGaps: true, pointRadius: 2 }] }}
                  options={{ maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100 }, x: { ticks: { maxTicksLimit: 8 } } } }}
                />
              </div>
            </Paper>
            <Paper withBorder p="md" component="figure" aria-label="Latency over time" m={0}>
              <Title order={4} size="h5" mb="xs">Latency p50 / p95</Title>
              <div style={{ height: 220 }}>
                <Line
                  data={{
                    labels,
                    datasets: [
                      { label: 'p50 ms', data: a.series.map((s) => s.p50Ms), borderColor: 'rgb(28,126,214)', spanGaps: true, pointRadius: 2 },
                      { label: 'p95 ms', data: a.series.map((s) => s.p95Ms), borderColor: 'rgb(240,140,0)', spanGaps: true, pointRadius: 2 },
                    ],
                  }}
                  options={{ maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true }, x: { ticks: { maxTicksLimit: 8 } } } }}
                />
              </div>
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md" component="section" aria-label="Top errors">
            <Title order={4} size="h5" mb="xs">Top errors</Title>
            {a.topErrors.length === 0 ? (
              <Text size="sm" c="dimmed">No errors in this window.</Text>
            ) : (
              <Table>
                <Table.Tbody>
                  {a.topErrors.map((e) => (
                    <Table.Tr key={e.error}>
                      <Table.Td ff="monospace">{e.error}</Table.Td>
                      <Table.Td ta="right">{e.count.toLocaleString()}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={label}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="lg" data-testid="stat-value">{value}</Text>
    </Paper>
  );
}
