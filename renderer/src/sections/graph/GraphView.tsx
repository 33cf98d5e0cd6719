import 'vis-network/styles/vis-network.min.css';
import './graph.css';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { Network, type IdType } from 'vis-network/standalone';
import { DataSet } from 'vis-data/standalone';
import type { Graph, GraphNode } from '../../../../preload/contract/graph.ts';
import type { EntityType } from '../../../../preload/contract/entities.ts';
import { STABILIZATION_ITERATIONS, isLargeGraph, networkOptions } from './network-options.ts';
import { placeNear, radialLayout, type Point } from './layout.ts';
import { toVisEdge, toVisNode, type VisEdge, type VisNode } from './to-vis.ts';
import { exportCanvasPng } from './export-png.ts';

export interface Selection {
  nodes: string[];
  edges: string[];
}

export interface GraphViewHandle {
  fit(): void;
  /** Centre on a node and select it (finding a node by name, keyboard users). */
  focusNode(id: string): void;
  /** The drawing as a PNG data URL on a solid background. */
  toPng(): string | null;
}

interface Props {
  graph: Graph;
  hiddenTypes: ReadonlySet<EntityType>;
  dark: boolean;
  onSelect(sel: Selection): void;
  onNodeContext(nodeId: string, at: { x: number; y: number }): void;
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
      if (!n || !nodes.current.get(id)) return;
      n.selectNodes([id], false);
      n.focus(id, { scale: Math.max(n.getScale(), 1), animation: false });
      callbacks.current.onSelect({ nodes: [id], edges: [] });
    },
    toPng() {
      const canvas = container.current?.querySelector('canvas');
      return canvas ? exportCanvasPng(canvas, props.dark ? '#1a1b1e' : '#ffffff') : null;
    },
  }));

  // One Network for the life of the component.
  useEffect(() => {
    const el = container.current!;
    const network = new Network(el, { nodes: nodes.current, edges: edges.current }, networkOptions(false, callbacks.current.dark));
    net.current = network;
    let stabilized = false;
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
    network.on('dragStart', () => {
      before = selection();
      callbacks.current.onSelect(before);
    });
    network.on('oncontext', (p: { pointer: { DOM: { x: number; y: number } }; event: MouseEvent }) => {
      p.event.preventDefault();
      const id = network.getNodeAt(p.pointer.DOM);
      if (id === undefined) return;
      const key = String(id);
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
      if (ready || known.current.size === 0) return;
      if (!large.current && !stabilized) return;
      ready = true;
      // The first frame is on screen; the next task is the first moment input is handled.
      setTimeout(() => {
        el.dataset.ready = 'true';
        performance.mark('dossier:graph-ready');
      }, 0);
    });
    return () => {
      network.destroy();
      net.current = null;
    };
  }, []);

  // Apply the graph as a diff.
  useEffect(() => {
    const network = net.current;
    if (!network) return;
    const { graph, hiddenTypes } = props;
    const first = known.current.size === 0 && graph.nodes.length > 0;
    // With dossier:graph-ready, splits the first render into fetching and drawing (bench/p7).
    if (first) performance.mark('dossier:graph-data');
    const nowLarge = isLargeGraph(graph.nodes.length, graph.edges.length);
    if (large.current !== nowLarge && graph.nodes.length > 0) {
      const wasSet = large.current !== null;
      large.current = nowLarge;
      network.setOptions(networkOptions(nowLarge, props.dark));
      // Growing past the threshold mid-session: keep the current picture, just stop the solver.
      if (wasSet) network.setOptions({ physics: { enabled: false } });
    }

    const incoming = new Map(graph.nodes.map((n) => [n.id, n]));
    const removeNodes = [...known.current.keys()].filter((id) => !incoming.has(id));
    let positions: Map<string, Point> | null = null;
    if (first) positions = radialLayout(graph.nodes.map((n) => n.id), graph.edges);

    const added: VisNode[] = [];
    const changed: VisNode[] = [];
    const drawn = network.getPositions();
    const neighbour = new Map<string, string>();
    if (!first) {
      for (const e of graph.edges) {
        if (!known.current.has(e.source) && known.current.has(e.target)) neighbour.set(e.source, e.target);
        if (!known.current.has(e.target) && known.current.has(e.source)) neighbour.set(e.target, e.source);
      }
    }
    const centre = first ? { x: 0, y: 0 } : viewCentre(network);
    for (const n of graph.nodes) {
      const old = known.current.get(n.id);
      const hidden = hiddenTypes.has(n.type);
      if (!old) {
        const at = positions?.get(n.id) ?? placeNear(drawn[neighbour.get(n.id) ?? ''], n.id, centre);
        added.push({ ...toVisNode(n, nowLarge, hidden), x: at.x, y: at.y });
      } else if (old.label !== n.label || old.value !== n.value || old.type !== n.type) {
        changed.push(toVisNode(n, nowLarge, hidden));
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
    if (first && nowLarge) network.fit({ animation: false });
    // Data added to a live network does not stabilise by itself; the first load is settled explicitly, bounded.
    else if (first) network.stabilize(STABILIZATION_ITERATIONS);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.graph]);

  // Legend toggles: flip `hidden` only on nodes whose state changes (vis hides their edges too).
  useEffect(() => {
    const updates: Array<{ id: string; hidden: boolean }> = [];
    for (const n of known.current.values()) {
      const hidden = props.hiddenTypes.has(n.type);
      if ((nodes.current.get(n.id)?.hidden ?? false) !== hidden) updates.push({ id: n.id, hidden });
    }
    if (updates.length) nodes.current.update(updates);
  }, [props.hiddenTypes]);

  useEffect(() => {
    if (large.current !== null) net.current?.setOptions(networkOptions(large.current, props.dark));
    if (large.current !== null) net.current?.setOptions({ physics: { enabled: false } });
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
      style={{ position: 'absolute', inset: 0 }}
    />
  );
});

function viewCentre(network: Network): Point {
  const p = network.getViewPosition();
  return { x: p.x, y: p.y };
}
