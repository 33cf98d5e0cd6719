import { useState } from 'react';
import { Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { ANALYTICS_WINDOWS, type AnalyticsWindow } from '../../../../preload/contract/analytics.ts';
import { entityColor } from '../../lib/entity-colors.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ChartCard, QueryPanel } from './ChartCard.tsx';
import { COLORS, PALETTE, statusColors, timeAxis } from './charts.ts';
import { ToolHealthRadar } from './ToolHealthRadar.tsx';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
const t = (iso: string) => new Date(iso).getTime();
/** Refetch every few seconds, and at once when batches or entities change (live while batches run). */
const LIVE = { refetchInterval: 5_000 } as const;

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={label}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="lg" data-testid="stat-value">{value}</Text>
    </Paper>
  );
}

/** A line of a time series, as parsed points (x epoch ms). */
function series(label: string, points: { at: string }[], y: (p: never) => number, color: string, extra: Record<string, unknown> = {}) {
  return { label, data: points.map((p) => ({ x: t(p.at), y: y(p as never) })), borderColor: color, pointRadius: 0, ...extra };
}

/** Options of a chart over the window's time axis (points already parsed; y from zero). */
function overTime(bucketMs: number, y: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { parsing: false as const, scales: { x: timeAxis(bucketMs), y: { beginAtZero: true, ...y } }, ...extra };
}
const LTTB = { plugins: { decimation: { enabled: true, algorithm: 'lttb' as const } } };

/** The Analytics section: one dashboard over batches, tools, webhooks, the relay and entities. */
export function AnalyticsPage() {
  const [window, setWindow] = useState<AnalyticsWindow>('24h');
  const [investigationId, setInvestigationId] = useState<string | null>(null);
  const invs = useCall('investigations.list', {});
  useInvalidateOn(['batches.changed', 'batch.progress', 'entities.changed', 'verdicts.changed'], ['analytics.batches', 'analytics.tools', 'analytics.entities']);
  const scope = { window, investigationId: investigationId ?? undefined };
  const invItems = (invs.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }));
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>Analytics</Title>
          <Text size="sm" c="dimmed">
            Percentiles are exact up to 24 h; beyond, from hourly log-scale rollups (within 15 %). Live while batches run.
          </Text>
        </Stack>
        <Group>
          <Select aria-label="Investigation" placeholder="All investigations" clearable data={invItems} value={investigationId} onChange={setInvestigationId} w={240} />
          <SegmentedControl aria-label="Window" value={window} onChange={(v) => setWindow(v as AnalyticsWindow)} data={ANALYTICS_WINDOWS.map((w) => ({ value: w, label: w }))} />
        </Group>
      </Group>
      <BatchesPanel scope={scope} />
      <ToolsPanel scope={scope} />
      <EntitiesPanel scope={scope} />
      <WebhooksPanel window={window} />
      <RelayPanel window={window} />
    </Stack>
  );
}

type Scope = { window: AnalyticsWindow; investigationId?: string };

function BatchesPanel({ scope }: { scope: Scope }) {
  return (
    <QueryPanel title="Batches" q={useCall('analytics.batches', scope, LIVE)}>
      {(a) => (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Stat label="Operations completed" value={a.totals.completed.toLocaleString()} />
            <Stat label="Operations failed" value={a.totals.failed.toLocaleString()} />
            <Stat label="Success rate" value={pct(a.totals.successRate)} />
            <Stat label="Running batches" value={String(a.running.length)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartCard
              title="Throughput"
              name={`throughput-${a.window}`}
              rows={a.throughput}
              empty={!a.throughput.some((s) => s.completed + s.failed > 0)}
              type="line"
              data={{
                datasets: [
                  series('completed', a.throughput, (s: (typeof a.throughput)[number]) => s.completed, COLORS.ok),
                  series('failed', a.throughput, (s: (typeof a.throughput)[number]) => s.failed, COLORS.failed),
                ],
              }}
              options={overTime(a.bucketMs, { title: { display: true, text: 'operations' } }, LTTB)}
            />
            <ChartCard
              title="Queue depth"
              name={`queue-${a.window}`}
              rows={a.queue}
              empty={!a.queue.some((s) => s.pending + s.running > 0)}
              emptyText="No batch had work queued in this window."
              type="line"
              data={{
                datasets: [
                  series('pending', a.queue, (s: (typeof a.queue)[number]) => s.pending, COLORS.pending, { backgroundColor: 'rgba(28,126,214,0.25)', fill: 'origin', stepped: true }),
                  series('running', a.queue, (s: (typeof a.queue)[number]) => s.running, COLORS.running, { backgroundColor: 'rgba(240,140,0,0.25)', fill: 'origin', stepped: true }),
                ],
              }}
              options={overTime(a.bucketMs)}
            />
          </SimpleGrid>
          {a.running.length > 0 && (
            <Table aria-label="Running batches">
              <Table.Thead>
                <Table.Tr><Table.Th>Batch</Table.Th><Table.Th>Done</Table.Th><Table.Th>Per minute</Table.Th><Table.Th>ETA</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.running.map((b) => (
                  <Table.Tr key={b.id}>
                    <Table.Td>{b.name}</Table.Td>
                    <Table.Td>{b.done} / {b.total}</Table.Td>
                    <Table.Td>{b.perMinute}</Table.Td>
                    <Table.Td>{b.etaSeconds === null ? '—' : `${Math.ceil(b.etaSeconds / 60)} min`}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </QueryPanel>
  );
}

function ToolsPanel({ scope }: { scope: Scope }) {
  return (
    <QueryPanel title="Tools" q={useCall('analytics.tools', scope, LIVE)}>
      {(a) => {
        const tools = [...new Set(a.scatter.map((p) => p.tool))];
        return (
          <>
            <Table aria-label="Tool latency" striped>
              <Table.Thead>
                <Table.Tr><Table.Th>Tool</Table.Th><Table.Th>Runs</Table.Th><Table.Th>Failed</Table.Th><Table.Th>p50</Table.Th><Table.Th>p95</Table.Th><Table.Th>p99</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {a.tools.length === 0 ? (
                  <Table.Tr><Table.Td colSpan={6}><Text size="sm" c="dimmed">No tool ran in this window.</Text></Table.Td></Table.Tr>
                ) : (
                  a.tools.map((x) => (
                    <Table.Tr key={x.tool}>
                      <Table.Td ff="monospace">{x.tool}</Table.Td><Table.Td>{x.runs}</Table.Td><Table.Td>{x.failed}</Table.Td>
                      <Table.Td>{ms(x.p50Ms)}</Table.Td><Table.Td>{ms(x.p95Ms)}</Table.Td><Table.Td>{ms(x.p99Ms)}</Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <ChartCard
                title="Errors by code"
                name={`errors-${a.window}`}
                rows={a.errorsByTool}
                empty={a.errors.length === 0}
                emptyText="No tool run failed in this window."
                type="bar"
                data={{ labels: a.errors.map((e) => e.code), datasets: [{ label: 'failed runs', data: a.errors.map((e) => e.count), backgroundColor: COLORS.failed }] }}
                options={{ scales: { y: { beginAtZero: true } } }}
              />
              <ChartCard
                title="Operation latency"
                name={`latency-${a.window}`}
                rows={a.scatter}
                empty={a.scatter.length === 0}
                type="scatter"
                data={{
                  datasets: tools.map((tool, i) => ({
                    label: tool,
                    data: a.scatter.filter((p) => p.tool === tool).map((p) => ({ x: t(p.at), y: p.ms })),
                    backgroundColor: PALETTE[i % PALETTE.length],
                    pointRadius: 2,
                  })),
                }}
                options={overTime(a.bucketMs, { title: { display: true, text: 'ms' } }, {
                  plugins: { tooltip: { callbacks: { label: (c: { dataset: { label?: string }; raw: unknown }) => `${c.dataset.label}: ${(c.raw as { y: number }).y} ms` } } },
                })}
              />
            </SimpleGrid>
            {a.scatterSampled && <Text size="xs" c="dimmed">Latency shows an even sample in time of {a.scatter.length.toLocaleString()} runs.</Text>}
            <ToolHealthRadar t={a} />
          </>
        );
      }}
    </QueryPanel>
  );
}

function EntitiesPanel({ scope }: { scope: Scope }) {
  return (
    <QueryPanel title="Entities" q={useCall('analytics.entities', scope, LIVE)}>
      {(a) => {
        const types = a.byType.map((b) => b.type);
        const v = a.verdicts;
        return (
          <>
            <SimpleGrid cols={{ base: 2, md: 3 }}>
              <Stat label="Entities discovered" value={a.total.toLocaleString()} />
              <Stat label="Confirmed" value={v.confirmed.toLocaleString()} />
              <Stat label="False positives" value={v.falsePositive.toLocaleString()} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <ChartCard
                title="Entities by type"
                name={`entities-${a.window}`}
                rows={a.byType}
                empty={a.total === 0}
                emptyText="Nothing was found in this window."
                type="pie"
                data={{ labels: types, datasets: [{ label: 'entities', data: a.byType.map((b) => b.count), backgroundColor: types.map(entityColor) }] }}
                options={{ plugins: { legend: { position: 'right' } } }}
              />
              <ChartCard
                title="Discoveries over time"
                name={`discoveries-${a.window}`}
                rows={a.discoveries.map((d) => ({ at: d.at, total: d.total, ...d.byType }))}
                empty={a.total === 0}
                type="bar"
                data={{ datasets: types.map((ty) => ({ label: ty, data: a.discoveries.map((d) => ({ x: t(d.at), y: d.byType[ty] ?? 0 })), backgroundColor: entityColor(ty), stack: 'e' })) }}
                options={{ parsing: false, scales: { x: { ...timeAxis(a.bucketMs), stacked: true }, y: { stacked: true, beginAtZero: true } } }}
              />
              <ChartCard
                title="Verdicts by site"
                name={`verdicts-${a.window}`}
                rows={v.bySite}
                empty={v.bySite.length === 0}
                emptyText="No find on a site was marked confirmed or false positive in this window."
                type="bar"
                data={{
                  labels: v.bySite.slice(0, 12).map((s) => s.site),
                  datasets: [
                    { label: 'false positive', data: v.bySite.slice(0, 12).map((s) => s.falsePositive), backgroundColor: COLORS.failed, stack: 'v' },
                    { label: 'confirmed', data: v.bySite.slice(0, 12).map((s) => s.confirmed), backgroundColor: COLORS.ok, stack: 'v' },
                  ],
                }}
                options={{ indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } }}
              />
            </SimpleGrid>
          </>
        );
      }}
    </QueryPanel>
  );
}

function WebhooksPanel({ window }: { window: AnalyticsWindow }) {
  return (
    <QueryPanel title="Webhooks" q={useCall('analytics.webhooks', { window }, { refetchInterval: 10_000 })}>
      {(a) => (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <Stat label="Delivery attempts" value={a.totals.attempts.toLocaleString()} />
            <Stat label="Webhook success rate" value={pct(a.totals.successRate)} />
            <Stat label="Webhook p50" value={ms(a.totals.p50Ms)} />
            <Stat label="Webhook p95" value={ms(a.totals.p95Ms)} />
            <Stat label="Dead letters" value={a.totals.deadLetters.toLocaleString()} />
          </SimpleGrid>
          <ChartCard
            title="Deliveries"
            name={`deliveries-${a.window}`}
            rows={a.series}
            empty={a.totals.attempts === 0}
            emptyText="No webhook delivery was attempted in this window."
            type="line"
            data={{
              datasets: [
                series('succeeded', a.series, (s: (typeof a.series)[number]) => s.succeeded, COLORS.ok),
                series('failed', a.series, (s: (typeof a.series)[number]) => s.failed, COLORS.failed),
              ],
            }}
            options={overTime(a.bucketMs, {}, LTTB)}
          />
        </>
      )}
    </QueryPanel>
  );
}


function RelayPanel({ window }: { window: AnalyticsWindow }) {
  return (
    <QueryPanel title="Relay" q={useCall('analytics.relay', { window }, { refetchInterval: 10_000 })}>
      {(a) => {
        const r = a.relay;
        return (
          <>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <ChartCard
                title="Inbound requests by status"
                name={`relay-status-${a.window}`}
                rows={r.series.map((s) => ({ at: s.at, total: s.total, ...s.byStatus }))}
                empty={r.totals.total === 0}
                emptyText="No webhook reached the relay in this window."
                type="bar"
                data={{ datasets: r.statuses.map((st) => ({ label: String(st), data: r.series.map((s) => ({ x: t(s.at), y: s.byStatus[st] ?? 0 })), backgroundColor: statusColors(r.statuses).get(st), stack: 's' })) }}
                options={{ parsing: false, scales: { x: { ...timeAxis(r.bucketMs), stacked: true }, y: { stacked: true, beginAtZero: true } } }}
              />
              <ChartCard
                title="Verification outcomes"
                name={`relay-verification-${a.window}`}
                rows={a.verification}
                empty={a.verification.length === 0}
                type="bar"
                data={{
                  labels: a.verification.map((v) => v.outcome),
                  datasets: [{ label: 'requests', data: a.verification.map((v) => v.count), backgroundColor: a.verification.map((v) => (v.outcome === 'verified' ? COLORS.ok : v.outcome === 'skipped' || v.outcome === 'unsigned' ? COLORS.muted : COLORS.failed)) }],
                }}
                options={{ indexAxis: 'y', scales: { x: { beginAtZero: true } } }}
              />
            </SimpleGrid>
            {r.topErrors.length > 0 && (
              <Table aria-label="Relay top errors">
                <Table.Tbody>
                  {r.topErrors.map((e) => (
                    <Table.Tr key={e.error}><Table.Td ff="monospace">{e.error}</Table.Td><Table.Td ta="right">{e.count}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        );
      }}
    </QueryPanel>
  );
}
