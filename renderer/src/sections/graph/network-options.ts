import type { Options } from 'vis-network/standalone';
import { ENTITY_COLORS } from '../../lib/entity-colors.ts';
import { shade } from './to-vis.ts';

/**
 * One vis-network group per entity type carries its colours, so nodes need
 * only `group: type`: per-node colour objects would be merged for each of
 * thousands of nodes.
 */
function typeGroups(): Record<string, object> {
  return Object.fromEntries(
    Object.entries(ENTITY_COLORS).map(([type, fill]) => {
      const rim = shade(fill, 0.7);
      return [
        type,
        { color: { background: fill, border: rim, highlight: { background: fill, border: '#111827' }, hover: { background: shade(fill, 1.15), border: rim } } },
      ];
    }),
  );
}

/**
 * Above this many nodes (or edges) the graph is drawn from the precomputed
 * layout with physics off: vis-network's solver costs ~140 ms per iteration
 * at 5,000 nodes, so even a short stabilisation would take many seconds.
 */
export const LARGE_GRAPH_NODES = 600;
export const LARGE_GRAPH_EDGES = 1500;

/** Small graphs settle with physics, but never for longer than this many iterations. */
export const STABILIZATION_ITERATIONS = 150;

/**
 * Labels on a large graph: dots sit ~34 canvas px apart (layout.ts), so below
 * ~1.2× zoom every label overlaps its neighbours' and the picture is a smear of
 * text; they appear from LARGE_LABEL_MIN_SCALE and never grow past
 * LABEL_MAX_PX on screen, so zooming further in opens space between them. The
 * hover tooltip (to-vis.ts) names a dot at any zoom.
 */
export const LARGE_FONT = 11;
export const LARGE_LABEL_MIN_SCALE = 1.2;
export const LABEL_MAX_PX = 14;

/** The zoom from which vis-network draws node labels with these options (its rule: font × scale ≥ drawThreshold − 1). */
export function labelMinScale(o: Options): number {
  const font = (o.nodes?.font as { size: number }).size;
  const threshold = (o.nodes?.scaling?.label as { drawThreshold: number }).drawThreshold;
  return (threshold - 1) / font;
}

export function isLargeGraph(nodes: number, edges: number): boolean {
  return nodes > LARGE_GRAPH_NODES || edges > LARGE_GRAPH_EDGES;
}

export function networkOptions(large: boolean, dark: boolean): Options {
  const text = dark ? '#e5e7eb' : '#1f2937';
  const stroke = dark ? '#1a1b1e' : '#ffffff';
  return {
    autoResize: true,
    groups: typeGroups(),
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: large
      ? { enabled: false }
      : {
          enabled: true,
          solver: 'barnesHut',
          barnesHut: { gravitationalConstant: -4000, springLength: 110, springConstant: 0.03, damping: 0.25, avoidOverlap: 0.2 },
          stabilization: { enabled: true, iterations: STABILIZATION_ITERATIONS, updateInterval: 25, fit: true },
          minVelocity: 0.75,
        },
    interaction: {
      hover: !large,
      multiselect: true,
      selectConnectedEdges: false,
      hideEdgesOnDrag: true,
      hideEdgesOnZoom: true,
      tooltipDelay: 250,
      keyboard: { enabled: true, bindToWindow: false },
      navigationButtons: false,
    },
    nodes: {
      shape: 'dot',
      size: large ? 7 : 12,
      borderWidth: 2,
      borderWidthSelected: 4,
      font: { size: large ? LARGE_FONT : 13, color: text, strokeWidth: 3, strokeColor: stroke, face: 'system-ui, sans-serif', multi: false },
      // Labels vanish when zoomed out instead of piling up (small graphs: only at unreadable sizes).
      scaling: { label: { enabled: false, drawThreshold: large ? LARGE_LABEL_MIN_SCALE * LARGE_FONT + 1 : 7, maxVisible: large ? LABEL_MAX_PX : 24 } },
    },
    edges: {
      width: 1,
      selectionWidth: 2,
      // Thousands of edges drawn solid hide the nodes; faint ones still show the structure.
      color: { color: dark ? '#4b5563' : large ? '#94a3b8' : '#cbd5e1', highlight: '#6366f1', hover: '#818cf8', inherit: false, opacity: large ? 0.35 : 1 },
      smooth: large ? false : { enabled: true, type: 'continuous', roundness: 0.3 },
      // Set both ways: setOptions merges, so leaving it out would keep arrows from a smaller graph.
      arrows: { to: { enabled: !large, scaleFactor: 0.45 } },
      font: { size: 10, color: text, strokeWidth: 3, strokeColor: stroke, align: 'middle' },
    },
  };
}
