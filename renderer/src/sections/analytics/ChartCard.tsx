import { useRef, type ReactNode } from 'react';
import { Button, Group, Menu, Paper, Title } from '@mantine/core';
import type { Chart as ChartJS } from 'chart.js';
import { Empty } from '../../components/States.tsx';
import { download, downloadText, toCsv } from './export.ts';

/**
 * One chart: title, export menu (its data as CSV and JSON, the chart as PNG),
 * and an empty state in place of an empty chart.
 */
export function ChartCard(props: {
  title: string;
  /** File name stem for the exports. */
  name: string;
  rows: Record<string, unknown>[];
  empty: boolean;
  emptyText?: string;
  height?: number;
  children: (ref: React.RefObject<ChartJS | null>) => ReactNode;
}) {
  const ref = useRef<ChartJS | null>(null);
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
        <div style={{ height: props.height ?? 240, position: 'relative' }}>{props.children(ref)}</div>
      )}
    </Paper>
  );
}
