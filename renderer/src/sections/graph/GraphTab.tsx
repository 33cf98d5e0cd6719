import { Alert, Box, Button, Group, Paper, Select, Stack, Text, Tooltip, useComputedColorScheme } from '@mantine/core';
import { IconFocusCentered, IconPhotoDown, IconSearch, IconSparkles } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { loadGraphView, loadedGraphView, takeEarlyGraph } from './preload.ts';
import type { EntityType } from '../../../../preload/contract/entities.ts';
import type { GraphNode } from '../../../../preload/contract/graph.ts';
import { call, useCall, useCoreEvent, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import type { ClusterInfo, GraphViewHandle, Selection } from './GraphView.tsx';
import { CLUSTER_START_NODES, startGrouping, type Grouping } from './cluster.ts';
import { Legend } from './Legend.tsx';
import { useVerdicts } from '../verdicts/verdicts.tsx';
import { DetailsPanel } from './DetailsPanel.tsx';
import { NodeMenu } from './NodeMenu.tsx';
import { SelectionBatchDialog } from './SelectionBatchDialog.tsx';
import { downloadDataUrl } from './export-png.ts';
import { nodeCaption } from './to-vis.ts';
import { RunToolDialog } from '../tools/RunToolDialog.tsx';

/** Live updates arrive per entity during a batch; redraw at most this often. */
const REFRESH_MS = 500;

/** The investigation graph: the "Graph" tab of an investigation. */
export function GraphTab({ investigationId }: { investigationId: string }) {
  // Keyed like useCall, so invalidating 'graph.get' refreshes it; the first answer may come from the boot-time request.
  const q = useQuery({
    queryKey: ['graph.get', { investigationId }],
    queryFn: () => takeEarlyGraph(investigationId) ?? call('graph.get', { investigationId }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  // vis-network is most of the graph's code and only this tab needs it: a separate chunk, requested
  // when the tab mounts (or at boot, see preload.ts) so it arrives while graph.get is on its way.
  const [viewModule, setViewModule] = useState(loadedGraphView);
  useEffect(() => {
    if (!viewModule) void loadGraphView().then(setViewModule);
  }, [viewModule]);
  const GraphView = viewModule?.GraphView;
  const inv = useCall('investigations.get', { id: investigationId });
  const dark = useComputedColorScheme('light') === 'dark';
  const view = useRef<GraphViewHandle>(null);
  const [hidden, setHidden] = useState<ReadonlySet<EntityType>>(new Set());
  const [selection, setSelection] = useState<Selection>({ nodes: [], edges: [] });
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [menuNode, setMenuNode] = useState<string | null>(null);
  const [runFor, setRunFor] = useState<GraphNode | null>(null);
  const [batchFor, setBatchFor] = useState<string[] | null>(null);
  // A big graph opens folded by type (cluster.ts); decided once, on the first answer, then the user's choice.
  const [grouping, setGrouping] = useState<Grouping | null>(null);
  const [clusters, setClusters] = useState<ClusterInfo[]>([]);
  // `?select=<entity id>` (global search opens a hit here): centre and select it once it is drawn.
  const [params] = useSearchParams();
  const wanted = params.get('select');
  const focused = useRef<string | null>(null);
  // What the investigation's watches found new in their latest runs; ?highlight=watch (from a watch page) or ?focus=<id> (from a diff) applies on open.
  const fresh = useCall('watches.newEntities', { investigationId });
  const verdicts = useVerdicts(investigationId);
  const falsePositives = useMemo(() => new Set([...verdicts.values()].filter((v) => v.verdict === 'false_positive').map((v) => v.appliesTo)), [verdicts]);
  useInvalidateOn(['watch.changed'], ['watches.newEntities']);
  const fromWatch = params.get('focus') ? [params.get('focus')!] : params.get('highlight') === 'watch' ? (fresh.data?.entityIds ?? null) : null;
  const wantedKey = fromWatch?.join(',') ?? '';
  useEffect(() => {
    if (!wantedKey) return;
    let tries = 0;
    const t = window.setInterval(() => {
      if (view.current?.highlight(wantedKey.split(',')) || ++tries > 40) window.clearInterval(t);
    }, 150);
    return () => window.clearInterval(t);
  }, [wantedKey, viewModule]);

  // Coalesce bursts of entities.changed (a running batch) into one refetch per REFRESH_MS.
  const timer = useRef<number | null>(null);
  const refetch = q.refetch;
  useCoreEvent('entities.changed', (p) => {
    if (p.investigationId !== investigationId || timer.current !== null) return;
    timer.current = window.setTimeout(() => {
      timer.current = null;
      void refetch();
    }, REFRESH_MS);
  });
  useEffect(() => () => void (timer.current !== null && clearTimeout(timer.current)), []);

  const graph = q.data;
  useEffect(() => {
    if (grouping === null && graph && graph.nodes.length > 0) setGrouping(startGrouping(graph.nodes.length));
  }, [graph, grouping]);
  useEffect(() => {
    if (!wanted || focused.current === wanted || !viewModule || !graph?.nodes.some((n) => n.id === wanted)) return;
    // The view builds its network after mounting: try each frame until it has the node.
    let raf = 0;
    let tries = 0;
    const attempt = () => {
      if (view.current?.focusNode(wanted)) focused.current = wanted;
      else if (++tries < 300) raf = requestAnimationFrame(attempt);
    };
    raf = requestAnimationFrame(attempt);
    return () => cancelAnimationFrame(raf);
  }, [wanted, viewModule, graph]);
  const nodesById = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, n])), [graph]);
  const counts = useMemo(() => {
    const m = new Map<EntityType, number>();
    for (const n of graph?.nodes ?? []) m.set(n.type, (m.get(n.type) ?? 0) + 1);
    return m;
  }, [graph]);
  // Only the matches are handed to the Select: 5,000 options would be parsed on every render of the tab.
  const [findText, setFindText] = useState('');
  const findOptions = useMemo(() => {
    const q = findText.trim().toLowerCase();
    if (!q) return [];
    const out: Array<{ value: string; label: string }> = [];
    for (const n of graph?.nodes ?? []) {
      const label = `${nodeCaption(n)} · ${n.type}`;
      if (label.toLowerCase().includes(q) || n.value.toLowerCase().includes(q)) out.push({ value: n.id, label });
      if (out.length >= 30) break;
    }
    return out;
  }, [graph, findText]);

  const toggle = useCallback((t: EntityType) => {
    setHidden((h) => {
      const next = new Set(h);
      if (!next.delete(t)) next.add(t);
      return next;
    });
  }, []);

  const onNodeContext = useCallback((id: string, at: { x: number; y: number }) => {
    setMenuNode(id);
    setMenuAt(at);
  }, []);

  const exportPng = () => {
    const url = view.current?.toPng();
    if (!url) return;
    const name = (inv.data?.name ?? 'investigation').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'investigation';
    downloadDataUrl(url, `${name}-graph.png`);
  };

  const openBatch = (ids: string[]) => setBatchFor(ids.length ? ids : null);

  if (q.isPending) return <Loading label="Loading graph…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const g = q.data;

  return (
    <Stack gap="xs" style={{ height: 'max(480px, calc(100vh - 340px))' }}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
          <Select
            aria-label="Find entity"
            placeholder="Find entity…"
            leftSection={<IconSearch size={14} />}
            data={findOptions}
            searchable
            searchValue={findText}
            onSearchChange={setFindText}
            filter={({ options }) => options}
            clearable
            value={null}
            onChange={(id) => id && view.current?.focusNode(id)}
            nothingFoundMessage={findText.trim() ? 'No entity matches' : 'Type part of a value or label'}
            w={280}
            size="xs"
            disabled={g.nodes.length === 0}
          />
          <Select
            aria-label="Group by"
            size="xs"
            w={150}
            allowDeselect={false}
            value={grouping ?? 'none'}
            onChange={(v) => v && setGrouping(v as Grouping)}
            data={[
              { value: 'none', label: 'No grouping' },
              { value: 'type', label: 'Group by type' },
              { value: 'site', label: 'Group by site' },
            ]}
            disabled={g.nodes.length === 0}
          />
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="graph-counts">
            {g.nodes.length.toLocaleString()} entities · {g.edges.length.toLocaleString()} links
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Tooltip label="Show the whole graph">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFocusCentered size={14} />}
              onClick={() => view.current?.fit()}
              disabled={g.nodes.length === 0}
            >
              Fit
            </Button>
          </Tooltip>
          {(fresh.data?.entityIds.length ?? 0) > 0 && (
            <Tooltip label="Select what the investigation's watches found new in their latest runs">
              <Button
                size="xs"
                variant="light"
                color="green"
                leftSection={<IconSparkles size={14} />}
                onClick={() => view.current?.highlight(fresh.data!.entityIds)}
              >
                New since last run ({fresh.data!.entityIds.length})
              </Button>
            </Tooltip>
          )}
          <Button size="xs" variant="default" leftSection={<IconPhotoDown size={14} />} onClick={exportPng} disabled={g.nodes.length === 0}>
            Export PNG
          </Button>
        </Group>
      </Group>
      {counts.size > 0 && <Legend counts={counts} hidden={hidden} onToggle={toggle} />}
      {g.truncated && (
        <Alert color="yellow" py={6}>
          Showing {g.nodes.length.toLocaleString()} of {g.totalNodes.toLocaleString()} entities and {g.edges.length.toLocaleString()} of{' '}
          {g.totalEdges.toLocaleString()} links. Hide types or export the investigation to see everything.
        </Alert>
      )}
      {g.nodes.length > CLUSTER_START_NODES && (
        <Alert color="blue" py={6} role="status" aria-label="Large graph">
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">
              {clusters.length > 0
                ? `Large graph: ${g.nodes.length.toLocaleString()} entities, ${clusters.reduce((s, c) => s + c.count, 0).toLocaleString()} of them folded into ${clusters.length} clusters. Double-click a cluster (or pick it here) to open it.`
                : `Large graph: all ${g.nodes.length.toLocaleString()} entities are drawn; names appear when you zoom in, and on hover.`}
            </Text>
            {clusters.length > 0 ? (
              <Button size="compact-xs" variant="white" onClick={() => setGrouping('none')}>
                Show all
              </Button>
            ) : (
              <Button size="compact-xs" variant="white" onClick={() => setGrouping('type')}>
                Group by type
              </Button>
            )}
          </Group>
          {clusters.length > 0 && (
            <Group gap={6} mt={6} aria-label="Clusters" role="group">
              {clusters.map((c) => (
                <Button key={c.id} size="compact-xs" variant="light" aria-label={`Open cluster ${c.label}`} onClick={() => view.current?.openCluster(c.id)}>
                  {c.label}
                </Button>
              ))}
            </Group>
          )}
        </Alert>
      )}
      <Group gap="xs" align="stretch" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Paper withBorder radius="md" style={{ flex: 1, position: 'relative', overflow: 'hidden', minWidth: 0 }}>
          {g.nodes.length === 0 ? (
            <Box pt="xl">
              <Empty title="Nothing to draw yet">Entities found by tools and batches appear here as they are discovered.</Empty>
            </Box>
          ) : GraphView ? (
            <GraphView
              ref={view}
              graph={g}
              hiddenTypes={hidden}
              dark={dark}
              onSelect={setSelection}
              onNodeContext={onNodeContext}
              menuOpen={menuAt !== null}
              falsePositives={falsePositives}
              grouping={grouping ?? startGrouping(g.nodes.length)}
              onClusters={setClusters}
            />
          ) : (
            <Loading label="Loading graph…" />
          )}
        </Paper>
        <Paper withBorder radius="md" w={340} style={{ flexShrink: 0, overflow: 'hidden' }}>
          <DetailsPanel
            selection={selection}
            nodesById={nodesById}
            onRunTool={setRunFor}
            onBatch={() => openBatch(selection.nodes)}
            onFocus={(id) => view.current?.focusNode(id)}
          />
        </Paper>
      </Group>
      <NodeMenu
        at={menuAt}
        selectedCount={selection.nodes.length}
        onClose={() => setMenuAt(null)}
        onRunTool={() => {
          const n = menuNode ? nodesById.get(menuNode) : undefined;
          if (n) setRunFor(n);
        }}
        onBatch={() => openBatch(selection.nodes.length ? selection.nodes : menuNode ? [menuNode] : [])}
        onCentre={() => menuNode && view.current?.focusNode(menuNode)}
      />
      {runFor && (
        <RunToolDialog
          opened
          onClose={() => setRunFor(null)}
          investigationId={investigationId}
          entity={{ id: runFor.id, type: runFor.type, value: runFor.value }}
        />
      )}
      {batchFor && (
        <SelectionBatchDialog
          investigationId={investigationId}
          entities={batchFor.map((id) => nodesById.get(id)).filter((n): n is GraphNode => Boolean(n))}
          onClose={() => setBatchFor(null)}
        />
      )}
    </Stack>
  );
}
