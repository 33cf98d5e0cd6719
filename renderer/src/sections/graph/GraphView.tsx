import 'vis-network/styles/vis-network.min.css';
import './graph.css';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
// The standalone build bundles vis-data: its DataSet is vis-data's, without a second copy of it.
import { DataSet, Network, type IdType } from 'vis-network/standalone';
import type { Graph, GraphNode } from '../../../../preload/contract/graph.ts';
import type { EntityType } from '../../../../preload/contract/entities.ts';
import { isLargeGraph, networkOptions } from './network-options.ts';
import { besideDrawing, placeNear, radialLayout, type Point } from './layout.ts';
import { toVisEdge, toVisNode, type VisEdge, type VisNode } from './to-vis.ts';
import { exportNetworkPng } from './export-png.ts';
import { clusterGroups, clusterSize, isClusterId, type Grouping } from './cluster.ts';
import { shade } from './to-vis.ts';

export interface Selection {
  nodes: string[];
  edges: string[];
}

export interface GraphViewHandle {
  fit(): void;
  /** Centre on a node and select it (finding a node by name, keyboard users); false while the network is not drawn yet. */
  focusNode(id: string): boolean;
  /** The drawing as a PNG data URL on a solid background. */
  toPng(): string | null;
  /** Select these nodes and fit the view to them (what a watch found new); false when the drawing is not ready yet. */
  highlight(ids: string[]): boolean;
  /** Unfold one cluster, its members back where the layout put them. */
  openCluster(id: string): void;
}

/** A cluster as the toolbar lists it. */
export interface ClusterInfo {
  id: string;
  label: string;
  count: number;
}

interface Props {
  graph: Graph;
  hiddenTypes: ReadonlySet<EntityType>;
  dark: boolean;
  onSelect(sel: Selection): void;
  onNodeContext(nodeId: string, at: { x: number; y: number }): void;
  /** While the node menu is open, vis-network's hover tooltip is hidden under it. */
  menuOpen?: boolean;
  /** Finds marked false positive (here or remembered for their site and username): drawn faded with a dashed rim. */
  falsePositives?: ReadonlySet<string>;
  /** Fold nodes into clusters by type or by site (a big graph opens folded, see cluster.ts). */
  grouping?: Grouping;
  /** The clusters drawn now, after each fold or unfold. */
  onClusters?(clusters: ClusterInfo[]): void;
}

/**
 * The vis-network canvas. It owns the Network and its DataSets and applies new
 * data as a diff, so live refreshes add and remove elements without moving the
 * viewport or re-running the layout.
 */
export const GraphView = forwardRef<GraphViewHandle, Props>(function GraphView(props, ref) {
  const container = useRef<HTMLDivElement>(null);
  const net = useRef<Network | null>(null);
  const nodes = useRef(new DataSet<VisNode>());
  const edges = useRef(new DataSet<VisEdge>());
  const large = useRef<boolean | null>(null);
  const known = useRef(new Map<string, GraphNode>());
  const callbacks = useRef(props);
  callbacks.current = props;

  useImperativeHandle(ref, () => ({
    fit() {
      net.current?.fit({ animation: large.current ? false : { duration: 300, easingFunction: 'easeInOutQuad' } });
    },
    focusNode(id) {
      const n = net.current;
      if (!n || !nodes.current.get(id)) return false;
      reveal([id]);
      n.selectNodes([id], false);
      n.focus(id, { scale: Math.max(n.getScale(), 1), animation: false });
      callbacks.current.onSelect({ nodes: [id], edges: [] });
      return true;
    },
    highlight(ids) {
      const n = net.current;
      const present = ids.filter((id) => nodes.current.get(id));
      if (!n) return false;
      reveal(present);
      n.selectNodes(present, false);
      if (present.length) n.fit({ nodes: present, animation: false });
      callbacks.current.onSelect({ nodes: present, edges: [] });
      return true;
    },
    toPng() {
      const n = net.current;
      return n && container.current ? exportNetworkPng(n, container.current, props.dark ? '#1a1b1e' : '#ffffff') : null;
    },
    openCluster(id) {
      unfold(id);
    },
  }));

  /** The clusters drawn now. */
  const clusters = useRef(new Map<string, ClusterInfo>());
  const report = () => callbacks.current.onClusters?.([...clusters.current.values()]);

  /** Opening a cluster by hand shows what came out; refolding (which opens them all first) fits once itself. */
  const fitAfterUnfold = useRef(true);

  function unfold(id: string): void {
    const n = net.current;
    if (!n || !clusters.current.has(id) || !n.isCluster(id)) return;
    // Members go back to the layout's places (vis would otherwise pile them all on the cluster's dot).
    n.openCluster(id, { releaseFunction: (_at: Point, members: Record<string, Point>) => members });
    clusters.current.delete(id);
    if (fitAfterUnfold.current) n.fit({ animation: false });
    report();
  }

  /** Unfold whatever clusters hold these nodes, so they can be selected and shown. */
  function reveal(ids: string[]): void {
    const n = net.current;
    if (!n || clusters.current.size === 0) return;
    for (const id of ids) for (const c of n.findNode(id).slice(0, -1)) unfold(String(c));
  }

  /**
   * Fold the drawing by `by`: open every cluster, then make one per group. The
   * clusters sit on a ring around where the full drawing would be, each sized
   * and labelled for the zoom that shows them all, so an unfolded cluster's
   * members fill the middle without landing on the others.
   */
  function fold(by: Grouping): void {
    const n = net.current;
    if (!n) return;
    fitAfterUnfold.current = false;
    for (const id of [...clusters.current.keys()]) unfold(id);
    fitAfterUnfold.current = true;
    const groups = clusterGroups([...known.current.values()], by, callbacks.current.hiddenTypes);
    if (groups.length === 0) {
      report();
      return;
    }
    const at = n.getPositions();
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const p of Object.values(at)) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    // An ellipse around the drawing's box, so unfolded members land inside it, clear of the clusters.
    const span = Math.max(400, maxX - minX, maxY - minY);
    // One canvas unit per screen pixel when the whole ring fills ~700 px.
    const unit = (span * 1.5) / 700;
    const rx = Math.max(span / 3, (maxX - minX) / 2) + 70 * unit;
    const ry = Math.max(span / 3, (maxY - minY) / 2) + 70 * unit;
    const owner = new Map<string, string>();
    for (const g of groups) for (const m of g.members) owner.set(m, g.id);
    const text = callbacks.current.dark ? '#e5e7eb' : '#1f2937';
    const stroke = callbacks.current.dark ? '#1a1b1e' : '#ffffff';
    groups.forEach((g, i) => {
      n.cluster({
        joinCondition: (o: { id?: IdType }) => owner.get(String(o.id)) === g.id,
        clusterNodeProperties: {
          id: g.id,
          label: g.label,
          title: `${g.label} — double-click to open`,
          shape: 'dot',
          size: clusterSize(g.members.length) * unit,
          borderWidth: 2,
          color: { background: g.color, border: shade(g.color, 0.7), highlight: { background: g.color, border: '#111827' } },
          font: { size: 14 * unit, color: text, strokeWidth: 4 * unit, strokeColor: stroke, vadjust: 0 },
          // Always labelled: a dozen clusters never crowd, and an unnamed bubble says nothing.
          scaling: { label: { enabled: false, drawThreshold: 1, maxVisible: 22 } },
        } as never,
        clusterEdgeProperties: { color: { opacity: 0.15 } } as never,
      });
      const angle = (2 * Math.PI * i) / groups.length - Math.PI / 2;
      n.moveNode(g.id, cx + rx * Math.cos(angle), cy + ry * Math.sin(angle));
      clusters.current.set(g.id, { id: g.id, label: g.label, count: g.members.length });
    });
    report();
  }

  // Destroyed with the component; created below once the first data is known.
  useEffect(
    () => () => {
      net.current?.destroy();
      net.current = null;
    },
    [],
  );

  /**
   * The Network is built with its data and the options for its size in one go:
   * nodes added to a live network would be drawn (and measured, and given
   * arrowheads) at the default zoom before the view could fit them.
   */
  function createNetwork(large: boolean): Network {
    const el = container.current!;
    const network = new Network(el, { nodes: nodes.current, edges: edges.current }, networkOptions(large, callbacks.current.dark));
    net.current = network;
    let stabilized = large;
    let ready = false;

    const selection = (): Selection => ({
      nodes: network.getSelectedNodes().map(String),
      edges: network.getSelectedEdges().map(String),
    });
    let before: Selection = { nodes: [], edges: [] };
    network.on('click', (p: { nodes: IdType[]; event: { srcEvent?: MouseEvent } }) => {
      // vis-network adds to the selection with ctrl/cmd; shift-click does the same here.
      const clicked = p.nodes.map(String);
      if (p.event.srcEvent?.shiftKey && clicked.length) {
        network.selectNodes([...new Set([...before.nodes, ...clicked])], false);
      }
      before = selection();
      callbacks.current.onSelect(before);
    });
    // Box selection (shift-drag) and keyboard changes arrive as plain selection events.
    for (const ev of ['dragStart', 'select', 'deselectNode', 'deselectEdge'] as const) {
      network.on(ev, () => {
        before = selection();
        callbacks.current.onSelect(before);
      });
    }
    network.on('doubleClick', (p: { nodes: IdType[] }) => {
      const id = p.nodes[0];
      if (id !== undefined && isClusterId(String(id))) unfold(String(id));
    });
    network.on('oncontext', (p: { pointer: { DOM: { x: number; y: number } }; event: MouseEvent }) => {
      p.event.preventDefault();
      const id = network.getNodeAt(p.pointer.DOM);
      if (id === undefined) return;
      const key = String(id);
      // A cluster's menu is to open it: it stands for many nodes, and tools run on one.
      if (isClusterId(key)) return unfold(key);
      // Right-clicking outside the selection acts on that node alone, as in a file manager.
      if (!network.getSelectedNodes().map(String).includes(key)) network.selectNodes([key], false);
      before = selection();
      callbacks.current.onSelect(before);
      callbacks.current.onNodeContext(key, { x: p.event.clientX, y: p.event.clientY });
    });
    network.on('stabilizationIterationsDone', () => {
      stabilized = true;
      // Settled: nodes now stay where the user drops them, and the CPU rests.
      network.setOptions({ physics: { enabled: false } });
    });
    network.on('afterDrawing', () => {
      if (ready || !stabilized) return;
      ready = true;
      // The first frame is on screen; the next task is the first moment input is handled.
      setTimeout(() => {
        el.dataset.ready = 'true';
        performance.mark('dossier:graph-ready');
      }, 0);
    });
    return network;
  }

  // Apply the graph as a diff.
  useEffect(() => {
    const { graph, hiddenTypes } = props;
    if (!net.current && graph.nodes.length === 0) return;
    const first = !net.current;
    const nowLarge = isLargeGraph(graph.nodes.length, graph.edges.length);
    // With dossier:graph-ready, splits the first render into fetching and drawing (bench/p7).
    if (first) performance.mark('dossier:graph-data');

    const incoming = new Map(graph.nodes.map((n) => [n.id, n]));
    const removeNodes = [...known.current.keys()].filter((id) => !incoming.has(id));
    const box = container.current!.getBoundingClientRect();
    const positions = first
      ? radialLayout(
          graph.nodes.map((n) => n.id),
          graph.edges,
          { aspect: box.height > 0 ? box.width / box.height : undefined },
        )
      : null;
    const drawn = net.current?.getPositions() ?? {};
    const neighbour = new Map<string, string>();
    if (!first) {
      for (const e of graph.edges) {
        if (!known.current.has(e.source) && known.current.has(e.target)) neighbour.set(e.source, e.target);
        if (!known.current.has(e.target) && known.current.has(e.source)) neighbour.set(e.target, e.source);
      }
    }
    const taken: Point[] = Object.values(drawn);
    const aside = besideDrawing(taken);
    const added: VisNode[] = [];
    const changed: VisNode[] = [];
    for (const n of graph.nodes) {
      const old = known.current.get(n.id);
      const hidden = hiddenTypes.has(n.type);
      if (!old) {
        let at = positions?.get(n.id);
        if (!at) {
          at = placeNear(drawn[neighbour.get(n.id) ?? ''] ?? aside, taken, n.id);
          taken.push(at);
        }
        added.push({ ...toVisNode(n, hidden), x: at.x, y: at.y });
      } else if (old.label !== n.label || old.value !== n.value || old.type !== n.type) {
        changed.push(toVisNode(n, hidden));
      }
    }
    const edgeIds = new Set(graph.edges.map((e) => e.id));
    const removeEdges = edges.current.getIds().filter((id) => !edgeIds.has(String(id)));
    const addEdges = graph.edges.filter((e) => !edges.current.get(e.id)).map((e) => toVisEdge(e, nowLarge));

    if (removeEdges.length) edges.current.remove(removeEdges);
    if (removeNodes.length) nodes.current.remove(removeNodes);
    if (changed.length) nodes.current.update(changed);
    if (added.length) nodes.current.add(added);
    if (addEdges.length) edges.current.add(addEdges);
    known.current = incoming;

    if (first) {
      large.current = nowLarge;
      const network = createNetwork(nowLarge);
      // Folded before the first frame, so a big graph's first picture is its clusters, not a disc.
      if (props.grouping && props.grouping !== 'none') fold(props.grouping);
      // Small graphs settle under physics (bounded iterations, then fit); large ones are fitted at once.
      if (nowLarge || clusters.current.size) network.fit({ animation: false });
    } else if (nowLarge && !large.current) {
      // Grown past the threshold while open: keep the picture, drop the costly extras.
      large.current = true;
      net.current!.setOptions({ ...networkOptions(true, props.dark), physics: { enabled: false } });
    }
    // Only new data is applied here; hidden types and colour scheme have their own effects below.
  }, [props.graph]);

  // Grouping changed (or the legend, which decides what a cluster holds): fold again and show it all.
  const folded = useRef<{ by: Grouping; hidden: ReadonlySet<EntityType> } | null>(null);
  useEffect(() => {
    const by = props.grouping ?? 'none';
    const was = folded.current;
    folded.current = { by, hidden: props.hiddenTypes };
    if (!net.current || !was || (was.by === by && (by === 'none' || was.hidden === props.hiddenTypes))) return;
    fold(by);
    net.current.fit({ animation: false });
  }, [props.grouping, props.hiddenTypes]);

  // Legend toggles: flip `hidden` only on nodes whose state changes (vis hides their edges too).
  useEffect(() => {
    const updates: Array<{ id: string; hidden: boolean }> = [];
    for (const n of known.current.values()) {
      const hidden = props.hiddenTypes.has(n.type);
      if ((nodes.current.get(n.id)?.hidden ?? false) !== hidden) updates.push({ id: n.id, hidden });
    }
    if (updates.length) nodes.current.update(updates);
  }, [props.hiddenTypes]);

  // False positives: restyle only the nodes whose mark changes (also nodes that arrive later with a remembered verdict).
  const marked = useRef(new Set<string>());
  const [markedCount, setMarkedCount] = useState(0);
  useEffect(() => {
    const want = props.falsePositives ?? new Set<string>();
    const updates: VisNode[] = [];
    for (const id of marked.current) {
      if (want.has(id) && nodes.current.get(id)) continue;
      marked.current.delete(id);
      if (nodes.current.get(id)) updates.push({ id, opacity: 1, shapeProperties: { borderDashes: false } });
    }
    for (const id of want) {
      if (marked.current.has(id) || !nodes.current.get(id)) continue;
      marked.current.add(id);
      updates.push({ id, opacity: 0.4, shapeProperties: { borderDashes: [4, 3] } });
    }
    if (updates.length) nodes.current.update(updates);
    setMarkedCount(marked.current.size);
  }, [props.falsePositives, props.graph]);

  useEffect(() => {
    if (large.current !== null) net.current?.setOptions({ ...networkOptions(large.current, props.dark), physics: { enabled: false } });
  }, [props.dark]);

  return (
    <div
      ref={container}
      role="application"
      aria-label="Investigation graph"
      aria-roledescription="graph"
      tabIndex={0}
      className="dossier-graph"
      data-testid="graph-canvas"
      data-nodes={props.graph.nodes.length}
      data-edges={props.graph.edges.length}
      data-false-positives={markedCount}
      data-grouping={props.grouping ?? 'none'}
      data-menu={props.menuOpen ? 'open' : undefined}
      onKeyDown={(e) => {
        // The keyboard's way to the node menu: the context-menu key or Shift+F10 on the focused graph.
        if (e.key !== 'ContextMenu' && !(e.shiftKey && e.key === 'F10')) return;
        const network = net.current;
        const id = network?.getSelectedNodes()[0];
        if (!network || id === undefined) return;
        e.preventDefault();
        const p = network.canvasToDOM(network.getPosition(id));
        const r = container.current!.getBoundingClientRect();
        callbacks.current.onNodeContext(String(id), { x: r.left + p.x, y: r.top + p.y });
      }}
      style={{ position: 'absolute', inset: 0 }}
    />
  );
});
