import type { Edge, Node } from 'vis-network/standalone';
import type { GraphEdge, GraphNode } from '../../../../preload/contract/graph.ts';

export type VisNode = Node & { id: string; hidden?: boolean };
export type VisEdge = Edge & { id: string };

const MAX_LABEL = 28;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What a node is called in lists and headings: its label when a tool gave one (a site name), else its value, shortened. */
export function nodeCaption(n: Pick<GraphNode, 'label' | 'value'>): string {
  return shorten((n.label ?? n.value).trim(), MAX_LABEL);
}

/** A value as a person reads it: a URL without its scheme and trailing slash. */
function readable(value: string): string {
  return value
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/$/, '');
}

/**
 * What a dot on the canvas says: the label a tool gave (a site name) over the
 * value — "GitHub" alone does not say whose account it is.
 */
export function canvasLabel(n: Pick<GraphNode, 'label' | 'value'>): string {
  const value = shorten(readable(n.value), MAX_LABEL);
  const label = n.label?.trim();
  if (!label || label === n.value.trim() || readable(label) === readable(n.value)) return value;
  return `${shorten(label, MAX_LABEL)}\n${value}`;
}

/** The hover tooltip: everything, unshortened (vis-network builds its popup only on hover, so it costs nothing until then). */
export function nodeTitle(n: Pick<GraphNode, 'type' | 'label' | 'value'>): string {
  const label = n.label?.trim();
  return label && label !== n.value.trim() ? `${n.type}: ${label}\n${n.value}` : `${n.type}: ${n.value}`;
}

/** Darker rim of the same hue, so overlapping dots stay distinguishable. */
export function shade(hex: string, factor: number): string {
  const v = parseInt(hex.slice(1), 16);
  const ch = (s: number) => Math.max(0, Math.min(255, Math.round(((v >> s) & 255) * factor)));
  return `#${((ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).padStart(6, '0')}`;
}

/** Colours come from the node's group, one per entity type (network-options.ts). */
export function toVisNode(n: GraphNode, hidden: boolean): VisNode {
  // Labels hide when zoomed out (network-options.ts), so on a big graph the tooltip is how a dot is read.
  return { id: n.id, label: canvasLabel(n), title: nodeTitle(n), group: n.type, hidden };
}

export function toVisEdge(e: GraphEdge, large: boolean): VisEdge {
  return { id: e.id, from: e.source, to: e.target, title: large ? undefined : e.type.replace(/_/g, ' ') };
}
