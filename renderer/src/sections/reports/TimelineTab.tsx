import { useMemo, useState } from 'react';
import { Badge, Button, Chip, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconZoomIn, IconZoomOut, IconZoomReset } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip, type ChartData, type ChartOptions } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { ENTITY_TYPES, type EntityType } from '../../../../preload/contract/entities.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { FilterBar } from '../../components/filters/FilterBar.tsx';
import { useEntityFilter } from '../../lib/list-filter.ts';
import { entityColor } from '../../lib/entity-colors.ts';
import { formatDateTime } from '../../lib/time.ts';
import { isWhole, zoomIn, zoomOut, zoomTo, type Range } from './timeline-range.ts';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

const BUCKETS = 60;

function tick(iso: string, bucketMs: number): string {
  const d = new Date(iso);
  if (bucketMs >= 86_400_000) return d.toLocaleDateString();
  if (bucketMs >= 60_000) return d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return d.toLocaleTimeString();
}

/**
 * The "Timeline" tab: entities by first seen (stacked by type) and tool runs
 * by start, per time bucket. Click a bar to zoom into it; zoom buttons step
 * in and out. The filter is the entity table's own (SPEC §3.6, shared through
 * lib/list-filter.ts): a filter applied on either tab applies on both; the
 * type chips narrow the entities further.
 */
export function TimelineTab({ investigationId }: { investigationId: string }) {
  const [range, setRange] = useState<Range | null>(null);
  const [types, setTypes] = useState<EntityType[]>([]);
  const [filter, setFilter] = useEntityFilter(investigationId);
  useInvalidateOn(['entities.changed', 'toolRuns.changed', 'investigation.changed'], ['reports.timeline']);
  const q = useCall(
    'reports.timeline',
    {
      investigationId,
      buckets: BUCKETS,
      from: range ? new Date(range.from).toISOString() : undefined,
      to: range ? new Date(range.to).toISOString() : undefined,
      types: types.length ? types : undefined,
      filter: filter ?? undefined,
    },
    { placeholderData: keepPreviousData },
  );

  const t = q.data;
  const span: Range | null = t?.span ? { from: Date.parse(t.span.from), to: Date.parse(t.span.to) } : null;
  const current: Range | null = t?.from && t.to ? { from: Date.parse(t.from), to: Date.parse(t.to) } : null;

  const { data, shown } = useMemo(() => {
    const buckets = t?.buckets ?? [];
    const present = ENTITY_TYPES.filter((ty) => buckets.some((b) => (b.entities[ty] ?? 0) > 0));
    const d: ChartData<'bar'> = {
      labels: buckets.map((b) => tick(b.start, t?.bucketMs ?? 0)),
      datasets: [
        ...present.map((ty) => ({ label: ty, data: buckets.map((b) => b.entities[ty] ?? 0), backgroundColor: entityColor(ty), stack: 'entities' })),
        { label: 'runs succeeded', data: buckets.map((b) => b.runs.succeeded + b.runs.other), backgroundColor: '#94a3b8', stack: 'runs' },
        { label: 'runs failed', data: buckets.map((b) => b.runs.failed), backgroundColor: '#dc2626', stack: 'runs' },
      ],
    };
    return { data: d, shown: buckets.reduce((n, b) => n + Object.values(b.entities).reduce<number>((a, x) => a + (x ?? 0), 0), 0) };
  }, [t]);

  if (q.isPending) return <Loading label="Loading timeline…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const filterBar = <FilterBar list="entities" noun="entity" filter={filter} onChange={setFilter} />;
  if (!t || !t.span) {
    return (
      <Stack gap="md">
        {filter && filterBar}
        <Paper withBorder radius="md">
          {filter ? (
            <Empty title="Nothing matches the filter">No entity matches the entity filter, and there are no tool runs. Remove a condition or clear all.</Empty>
          ) : (
            <Empty title="Nothing on the timeline yet">Entities and tool runs appear here by the time they were found.</Empty>
          )}
        </Paper>
      </Stack>
    );
  }

  const options: ChartOptions<'bar'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
    onClick: (_e, els) => {
      const i = els[0]?.index;
      const b = i === undefined ? undefined : t.buckets[i];
      if (b) setRange(zoomTo(Date.parse(b.start), t.bucketMs));
    },
  };

  return (
    <Stack gap="md">
      {filterBar}
      <Group justify="space-between" align="flex-end">
        <Chip.Group multiple value={types} onChange={(v) => setTypes(v as EntityType[])}>
          <Group gap={6} role="group" aria-label="Timeline entity types">
            {ENTITY_TYPES.map((ty) => (
              <Chip key={ty} value={ty} size="xs" color={entityColor(ty)} variant="light">
                {ty}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<IconZoomIn size={14} />} onClick={() => current && setRange(zoomIn(current))}>
            Zoom in
          </Button>
          <Button size="xs" variant="default" leftSection={<IconZoomOut size={14} />} disabled={!current || !span || isWhole(current, span)} onClick={() => current && span && setRange(zoomOut(current, span))}>
            Zoom out
          </Button>
          <Button size="xs" variant="default" leftSection={<IconZoomReset size={14} />} disabled={!range} onClick={() => setRange(null)}>
            Whole span
          </Button>
        </Group>
      </Group>
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="xs">
          <Text size="sm" aria-label="Timeline range">
            {formatDateTime(t.from!)} – {formatDateTime(t.to!)}
          </Text>
          <Text size="sm" c="dimmed">
            {shown.toLocaleString()} entities in range · {t.totals.entities.toLocaleString()} in all{filter ? ' that match the filter' : ''} · {t.totals.runs.toLocaleString()} tool runs
          </Text>
        </Group>
        <div style={{ height: 280 }}>
          <Bar data={data} options={options} aria-label="Timeline chart" role="img" />
        </div>
        <Text size="xs" c="dimmed" mt={4}>
          Click a bar to zoom into it.
        </Text>
      </Paper>
      <Paper withBorder radius="md">
        {t.items.length === 0 ? (
          <Empty title="Nothing in this range" />
        ) : (
          <Table verticalSpacing={6} aria-label="Timeline items">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={200}>When</Table.Th>
                <Table.Th w={110}>What</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {t.items.map((it) => (
                <Table.Tr key={`${it.kind}:${it.id}`}>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(it.at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {it.kind === 'entity' ? (
                      <Badge color={entityColor(it.type)} variant="light" tt="none">
                        {it.type}
                      </Badge>
                    ) : (
                      <Badge color={it.status === 'failed' ? 'red' : 'gray'} variant="outline" tt="none">
                        run {it.status}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Text size="sm">{it.kind === 'entity' ? (it.label && it.label !== it.value ? `${it.value} (${it.label})` : it.value) : `${it.tool} on ${it.input} → ${it.entityCount} found`}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
