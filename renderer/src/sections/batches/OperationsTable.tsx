import { Badge, Box, Group, Paper, SegmentedControl, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { columnSizingFeature, createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { OPERATION_STATUSES, type Operation, type OperationStatus } from '../../../../preload/contract/batches.ts';
import { call, useCoreEvent } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { FilterBar } from '../../components/filters/FilterBar.tsx';
import { useListFilter } from '../../lib/list-filter.ts';
import { entityColor } from '../../lib/entity-colors.ts';
import { formatDateTime } from '../../lib/time.ts';
import { BatchStatusBadge } from './BatchStatusBadge.tsx';
import { OperationDrawer } from './OperationDrawer.tsx';

const PAGE = 200;
const ROW_HEIGHT = 40;
/** Progress arrives up to 10/s; the table re-reads its pages at most this often. */
const REFRESH_MS = 1000;

const features = tableFeatures({ columnSizingFeature });
const col = createColumnHelper<typeof features, Operation>();
const columns = col.columns([
  col.accessor('seq', {
    header: '#',
    size: 52,
    cell: (c) => (
      <Text size="xs" c="dimmed" ff="monospace">
        {c.getValue()}
      </Text>
    ),
  }),
  col.accessor('inputValue', {
    header: 'Input',
    size: 180,
    cell: (c) => (
      <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
        <Badge size="xs" variant="light" color={entityColor(c.row.original.inputType)} style={{ flexShrink: 0 }}>
          {c.row.original.inputType}
        </Badge>
        <Text size="sm" truncate="end" ff="monospace" title={c.getValue()}>
          {c.getValue()}
        </Text>
        {c.row.original.depth > 0 && (
          <Tooltip label={`Follow-up, generation ${c.row.original.depth}`}>
            <Badge size="xs" variant="outline" color="gray" style={{ flexShrink: 0 }}>
              +{c.row.original.depth}
            </Badge>
          </Tooltip>
        )}
      </Group>
    ),
  }),
  col.accessor('tool', {
    header: 'Tool',
    size: 140,
    cell: (c) => (
      <Text size="sm" ff="monospace" truncate="end">
        {c.getValue()}
      </Text>
    ),
  }),
  col.accessor('status', { header: 'Status', size: 110, cell: (c) => <BatchStatusBadge status={c.getValue()} size="xs" /> }),
  col.accessor('attempts', { header: 'Tries', size: 56, cell: (c) => <Text size="sm">{c.getValue()}</Text> }),
  col.accessor('durationMs', {
    header: 'Took',
    size: 72,
    cell: (c) => (
      <Text size="sm" c="dimmed">
        {c.getValue() === null ? '—' : formatMs(c.getValue()!)}
      </Text>
    ),
  }),
  col.display({
    id: 'result',
    header: 'Result',
    size: 200,
    cell: (c) => {
      const o = c.row.original;
      if (o.error)
        return (
          <Text size="sm" c="red" truncate="end" title={o.error}>
            {o.error}
          </Text>
        );
      return (
        <Text size="sm" truncate="end" title={o.output?.summary}>
          {o.output?.summary ?? ''}
        </Text>
      );
    },
  }),
  col.accessor('finishedAt', {
    header: 'Finished',
    size: 140,
    cell: (c) => (
      <Text size="xs" c="dimmed">
        {c.getValue() ? formatDateTime(c.getValue()!) : ''}
      </Text>
    ),
  }),
]);

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const EMPTY: Operation[] = [];

/**
 * Every operation of a batch, filtered by status in the core and read in pages
 * of PAGE as the list scrolls; only the rows on screen are in the DOM, so a
 * 100,000-operation batch scrolls like a 10-row one.
 */
export function OperationsTable({
  batchId,
  status,
  onStatus,
}: {
  batchId: string;
  status: OperationStatus | 'all';
  onStatus(s: OperationStatus | 'all'): void;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [open, setOpen] = useState<Operation | null>(null);
  const qc = useQueryClient();
  // Per batch, kept for the session like the entity table's filter (lib/list-filter.ts).
  const [filter, setFilter] = useListFilter(`operations:${batchId}`);
  const input = { batchId, status: status === 'all' ? undefined : status, search: debounced || undefined, filter: filter ?? undefined };
  const q = useInfiniteQuery({
    queryKey: ['batches.operations', input],
    queryFn: ({ pageParam }) => call('batches.operations', { ...input, limit: PAGE, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined),
  });

  const timer = useRef<number | null>(null);
  useCoreEvent('batch.progress', (p) => {
    if (p.batchId !== batchId || timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void qc.invalidateQueries({ queryKey: ['batches.operations'] });
    }, REFRESH_MS);
  });
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);

  const data = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? EMPTY, [q.data]);
  const total = q.data?.pages[0]?.total ?? 0;
  const table = useTable({ features, columns, data, getRowId: (o: Operation) => o.id });
  const rows = table.getRowModel().rows;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => rows[i]!.id,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (last >= rows.length - 40 && q.hasNextPage && !q.isFetchingNextPage) void q.fetchNextPage();
  }, [last, rows.length, q.hasNextPage, q.isFetchingNextPage, q]);

  const widths = table.getAllLeafColumns().map((c) => c.getSize());
  // Input and result share the room left; the rest keep their width.
  const template = widths.map((w, i) => (i === 1 ? `minmax(${w}px, 1fr)` : i === 6 ? `minmax(${w}px, 2fr)` : `${w}px`)).join(' ');

  return (
    <Paper withBorder radius="md">
      <Group justify="space-between" p="sm" gap="xs">
        <SegmentedControl
          aria-label="Filter operations by status"
          size="xs"
          value={status}
          onChange={(v) => onStatus(v as OperationStatus | 'all')}
          data={[{ value: 'all', label: 'All' }, ...OPERATION_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }))]}
        />
        <Group gap="xs">
          <Text size="sm" c="dimmed" aria-live="polite">
            {total.toLocaleString()} {total === 1 ? 'operation' : 'operations'}
          </Text>
          <TextInput
            size="xs"
            aria-label="Search inputs"
            placeholder="Search inputs"
            leftSection={<IconSearch size={14} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
          />
        </Group>
      </Group>
      <Box px="sm" pb="sm">
        <FilterBar list="operations" noun="operation" filter={filter} onChange={setFilter} />
      </Box>
      <Box role="table" aria-label="Operations" aria-rowcount={total + 1} style={{ fontSize: 'var(--mantine-font-size-sm)' }}>
        <Box role="rowgroup">
          {table.getHeaderGroups().map((g) => (
            <Box
              role="row"
              key={g.id}
              style={{
                display: 'grid',
                gridTemplateColumns: template,
                borderBlock: '1px solid var(--mantine-color-default-border)',
                background: 'var(--mantine-color-default-hover)',
              }}
            >
              {g.headers.map((h) => (
                <Box role="columnheader" key={h.id} px="xs" py={6}>
                  <Text size="xs" fw={600} c="dimmed" tt="uppercase">
                    <table.FlexRender header={h} />
                  </Text>
                </Box>
              ))}
            </Box>
          ))}
        </Box>
        {q.isPending ? (
          <Loading label="Loading operations…" />
        ) : q.isError ? (
          <Box p="sm">
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          </Box>
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" ta="center">
            No {status === 'all' ? '' : `${status} `}operations{debounced ? ` matching “${debounced}”` : ''}
            {filter ? (debounced ? ' and the filter' : ' matching the filter') : ''}.
          </Text>
        ) : (
          <Box ref={scroller} role="rowgroup" style={{ height: Math.min(560, rows.length * ROW_HEIGHT + 2), overflow: 'auto' }}>
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const row = rows[item.index]!;
                return (
                  <Box
                    role="row"
                    key={row.id}
                    aria-rowindex={item.index + 2}
                    tabIndex={0}
                    onClick={() => setOpen(row.original)}
                    onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setOpen(row.original)}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      height: ROW_HEIGHT,
                      transform: `translateY(${item.start}px)`,
                      display: 'grid',
                      gridTemplateColumns: template,
                      alignItems: 'center',
                      borderBottom: '1px solid var(--mantine-color-default-border)',
                      cursor: 'pointer',
                    }}
                    className="dossier-op-row"
                  >
                    {row.getAllCells().map((cell) => (
                      <Box role="cell" key={cell.id} px="xs" style={{ minWidth: 0, overflow: 'hidden' }}>
                        <table.FlexRender cell={cell} />
                      </Box>
                    ))}
                  </Box>
                );
              })}
            </div>
          </Box>
        )}
      </Box>
      {open && <OperationDrawer operation={open} onClose={() => setOpen(null)} />}
    </Paper>
  );
}
