import { useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, Grid, Group, Paper, ScrollArea, Select, Stack, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useNavigate, useParams } from 'react-router';
import { RELAY_VERIFICATIONS, type RelayRequestSummary, type RelayVerification } from '../../../../preload/contract/relay.ts';
import { call, useCall, useCoreEvent } from '../../api/hooks.ts';
import { useMutation } from '@tanstack/react-query';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { FilterBar } from '../../components/filters/FilterBar.tsx';
import { useListFilter } from '../../lib/list-filter.ts';
import type { Filter } from '../../../../preload/contract/filters.ts';
import { StatusBadge, VerificationBadge } from './badges.tsx';
import { RequestInspector } from './RequestInspector.tsx';

const PAGE = 500;
/** With a filter applied, live arrivals re-read the first page (the core applies the filter) at most this often. */
const FILTERED_REFRESH_MS = 300;
type StatusFilter = '2xx' | '4xx' | '5xx' | null;

/** Whether a live request belongs in the list; with a builder filter the core decides (see FILTERED_REFRESH_MS). */
function matches(r: RelayRequestSummary, slug: string | null, status: StatusFilter, verification: RelayVerification | null, filter: Filter | null): boolean {
  if (filter) return false;
  if (slug && r.slug !== slug) return false;
  if (status && Math.floor(r.status / 100) !== Number(status[0])) return false;
  if (verification && r.verification !== verification) return false;
  return true;
}

/** The live request stream (newest first) beside the inspector of the selected request. */
export function RequestsView() {
  const { id } = useParams();
  const selected = id ? Number(id) : null;
  const navigate = useNavigate();
  const [slug, setSlug] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusFilter>(null);
  const [verification, setVerification] = useState<RelayVerification | null>(null);
  // Kept for the session like the entity table's filter (lib/list-filter.ts).
  const [filter, setFilter] = useListFilter('relay_requests');
  const endpoints = useCall('relay.endpoints.list', {});
  // Always re-read on mount: events sent while this view was not mounted were not seen by it, so a cached page may miss them.
  const q = useCall(
    'relay.requests.list',
    { limit: PAGE, offset: 0, slug: slug ?? undefined, status: status ?? undefined, verification: verification ?? undefined, filter: filter ?? undefined },
    { refetchOnMount: 'always' },
  );
  const [items, setItems] = useState<RelayRequestSummary[]>([]);
  const filters = useRef({ slug, status, verification, filter });
  filters.current = { slug, status, verification, filter };
  const [total, setTotal] = useState(0);
  // A page replaces the list, but requests that arrived live while it loaded (newer than its newest) stay on top.
  useEffect(() => {
    if (!q.data) return;
    const page = q.data;
    const top = page.items[0]?.id ?? 0;
    const f = filters.current;
    setItems((cur) => {
      const newer = cur.filter((r) => r.id > top && matches(r, f.slug, f.status, f.verification, f.filter));
      setTotal(page.total + newer.length);
      return [...newer, ...page.items];
    });
  }, [q.data]);

  // Bursts of requests are folded into one render per animation frame.
  const pending = useRef<{ received: RelayRequestSummary[]; updated: Map<number, RelayRequestSummary> }>({ received: [], updated: new Map() });
  const frame = useRef<number | null>(null);
  const refetchTimer = useRef<number | null>(null);
  const refetch = useRef(q.refetch);
  refetch.current = q.refetch;
  useCoreEvent('relay.request', (e) => {
    const f = filters.current;
    if (f.filter) {
      // The filter language is evaluated by the core only; re-read the first page instead of guessing here.
      refetchTimer.current ??= window.setTimeout(() => {
        refetchTimer.current = null;
        void refetch.current();
      }, FILTERED_REFRESH_MS);
      return;
    }
    if (!matches(e.request, f.slug, f.status, f.verification, null)) return;
    if (e.kind === 'received') pending.current.received.push(e.request);
    else pending.current.updated.set(e.request.id, e.request);
    frame.current ??= requestAnimationFrame(() => {
      frame.current = null;
      const { received, updated } = pending.current;
      pending.current = { received: [], updated: new Map() };
      setItems((cur) => {
        const known = new Set(cur.map((r) => r.id));
        // An update for a request newer than any shown means its arrival event was missed (it came before this view
        // subscribed): it is an arrival. Updates of older requests outside the loaded pages stay out (total counts them).
        const newest = cur[0]?.id ?? 0;
        const unseen = [...updated.values()].filter((r) => r.id > newest && !received.some((x) => x.id === r.id));
        const fresh = [...received, ...unseen].filter((r) => !known.has(r.id)).sort((a, b) => b.id - a.id);
        if (fresh.length) setTotal((t) => t + fresh.length);
        const merged = [...fresh, ...cur].map((r) => {
          const u = updated.get(r.id);
          return u ? { ...r, ...pick(u) } : r;
        });
        if (unseen.length) merged.sort((a, b) => b.id - a.id);
        return merged.slice(0, 50_000);
      });
    });
  });
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
    },
    [],
  );

  // Older pages are appended below; ids are unique, so live arrivals and pages never duplicate a row.
  const older = useMutation({
    mutationFn: () =>
      call('relay.requests.list', {
        limit: PAGE,
        offset: 0,
        slug: slug ?? undefined,
        status: status ?? undefined,
        verification: verification ?? undefined,
        filter: filter ?? undefined,
        beforeId: items.at(-1)?.id,
      }),
    onSuccess: (page) =>
      setItems((cur) => {
        const known = new Set(cur.map((r) => r.id));
        return [...cur, ...page.items.filter((r) => !known.has(r.id))];
      }),
  });

  const slugs = useMemo(() => (endpoints.data ?? []).map((e) => e.slug), [endpoints.data]);

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="xs">
          <Group gap="xs" grow>
            <Select aria-label="Filter by endpoint" placeholder="All endpoints" data={slugs} value={slug} onChange={setSlug} clearable size="xs" />
            <Select
              aria-label="Filter by status"
              placeholder="Any status"
              data={['2xx', '4xx', '5xx']}
              value={status}
              onChange={(v) => setStatus(v as StatusFilter)}
              clearable
              size="xs"
            />
            <Select
              aria-label="Filter by verification"
              placeholder="Any verification"
              data={[...RELAY_VERIFICATIONS]}
              value={verification}
              onChange={(v) => setVerification(v as RelayVerification | null)}
              clearable
              size="xs"
            />
          </Group>
          <FilterBar list="relay_requests" noun="request" filter={filter} onChange={setFilter} />
          <Group justify="space-between">
            <Text size="xs" c="dimmed" aria-live="polite">
              {total.toLocaleString()} request{total === 1 ? '' : 's'}
              {total > items.length ? ` (newest ${items.length.toLocaleString()} shown)` : ''}
            </Text>
            <Badge size="xs" variant="dot" color="green">
              live
            </Badge>
          </Group>
          {q.isPending && items.length === 0 ? (
            <Loading />
          ) : q.isError ? (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          ) : items.length === 0 ? (
            filter || slug || status || verification ? (
              <Empty title="No requests match">
                No request matches the filters. Remove a condition or clear all; new matching requests appear here as they arrive.
              </Empty>
            ) : (
              <Empty title="No requests yet">Send a webhook to an endpoint URL; it appears here as soon as it arrives.</Empty>
            )
          ) : (
            <>
              <RequestList items={items} selected={selected} onSelect={(r) => navigate(`/relay/requests/${r}`)} />
              {total > items.length && (
                <Button variant="subtle" size="xs" loading={older.isPending} onClick={() => older.mutate()}>
                  Load older requests
                </Button>
              )}
            </>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        {selected ? (
          <RequestInspector id={selected} onReplayed={(newId) => navigate(`/relay/requests/${newId}`)} />
        ) : (
          <Paper withBorder p="xl">
            <Empty title="Select a request">Its headers, body, verification, forwarding and rule matches show here.</Empty>
          </Paper>
        )}
      </Grid.Col>
    </Grid>
  );
}

function pick(u: RelayRequestSummary): Partial<RelayRequestSummary> {
  return { forwardState: u.forwardState, status: u.status };
}

const ROW = 58;

/** Virtualized: the stream can hold thousands of requests. */
function RequestList({ items, selected, onSelect }: { items: RelayRequestSummary[]; selected: number | null; onSelect: (id: number) => void }) {
  const viewport = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: items.length, getScrollElement: () => viewport.current, estimateSize: () => ROW, overscan: 10 });
  return (
    <Paper withBorder>
      <ScrollArea h="calc(100vh - 290px)" viewportRef={viewport} type="auto">
        <div role="list" aria-label="Request stream" style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((vi) => {
            const r = items[vi.index]!;
            const active = r.id === selected;
            return (
              <UnstyledButton
                key={r.id}
                role="listitem"
                aria-label={`Request ${r.id} ${r.method} ${r.slug ?? r.path} ${r.status}`}
                aria-current={active ? 'true' : undefined}
                onClick={() => onSelect(r.id)}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  height: ROW,
                  transform: `translateY(${vi.start}px)`,
                  padding: '6px 10px',
                  borderBottom: '1px solid var(--mantine-color-default-border)',
                  background: active ? 'var(--mantine-color-blue-light)' : undefined,
                }}
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                    <StatusBadge status={r.status} />
                    <Text size="sm" fw={600} truncate>
                      {r.method} {r.slug ? `/hooks/${r.slug}` : r.path}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    #{r.id} · {new Date(r.receivedAt).toLocaleTimeString()}
                  </Text>
                </Group>
                <Group gap={6} wrap="nowrap" mt={2}>
                  <VerificationBadge v={r.verification} />
                  {r.eventType && (
                    <Text size="xs" truncate>
                      {r.eventType}
                    </Text>
                  )}
                  {r.duplicateOf !== null && (
                    <Badge size="xs" color="gray">
                      duplicate
                    </Badge>
                  )}
                  {r.replayOf !== null && (
                    <Badge size="xs" color="violet">
                      replay of #{r.replayOf}
                    </Badge>
                  )}
                  <Text size="xs" c="dimmed">
                    {r.size.toLocaleString()} B · {r.latencyMs.toFixed(1)} ms
                  </Text>
                </Group>
              </UnstyledButton>
            );
          })}
        </div>
      </ScrollArea>
    </Paper>
  );
}
