import { useRef, type ReactNode } from 'react';
import { Button, Group, Menu, Paper, Stack, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Chart as ChartJS, ChartData, ChartOptions, ChartType, DefaultDataPoint } from 'chart.js';
import { Chart } from 'react-chartjs-2';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { download, downloadText, toCsv } from './export.ts';

/** What every analytics chart shares: it fills its card and draws at once (no animation, so exports and screenshots are final). */
const BASE = { maintainAspectRatio: false, animation: false } as const;

/**
 * One chart: title, export menu (its data as CSV and JSON, the chart as PNG),
 * an empty state in place of an empty chart, and the chart itself (chart.js
 * through react-chartjs-2, with the shared base options under `options`).
 */
export function ChartCard<T extends ChartType, D = DefaultDataPoint<T>, L = unknown>(props: {
  title: string;
  /** File name stem for the exports. */
  name: string;
  rows: Record<string, unknown>[];
  empty: boolean;
  emptyText?: string;
  height?: number;
  type: T;
  data: ChartData<T, D, L>;
  options?: ChartOptions<T>;
}) {
  const ref = useRef<ChartJS<T, D, L> | null>(null);
  return (
    <Paper withBorder p="md" component="figure" aria-label={props.title} m={0}>
      <Group justify="space-between" mb="xs">
        <Title order={4} size="h5">
          {props.title}
        </Title>
        <Menu position="bottom-end">
          <Menu.Target>
            <Button size="compact-xs" variant="subtle" aria-label={`Export ${props.title}`} disabled={props.empty}>
              Export
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => downloadText(`${props.name}.csv`, toCsv(props.rows), 'text/csv')}>CSV</Menu.Item>
            <Menu.Item onClick={() => downloadText(`${props.name}.json`, JSON.stringify(props.rows, null, 2), 'application/json')}>JSON</Menu.Item>
            <Menu.Item onClick={() => ref.current && download(`${props.name}.png`, ref.current.toBase64Image('image/png', 1))}>PNG</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      {props.empty ? (
        <Empty title="No data in this window">{props.emptyText ?? 'It fills in as work is done.'}</Empty>
      ) : (
        <div style={{ height: props.height ?? 240, position: 'relative' }}>
          <Chart<T, D, L> ref={ref} type={props.type} data={props.data} options={{ ...BASE, ...props.options } as ChartOptions<T>} />
        </div>
      )}
    </Paper>
  );
}

/** A titled region of the dashboard over one query: loading and error states, then its content. */
export function QueryPanel<T>({ title, q, children }: { title: string; q: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  return (
    <Stack component="section" aria-label={title} gap="sm">
      <Title order={3}>{title}</Title>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : children(q.data as T)}
    </Stack>
  );
}
