import type { Edge, Node } from 'vis-network/standalone';
import type { GraphEdge, GraphNode } from '../../../../preload/contract/graph.ts';

export type VisNode = Node & { id: string; hidden?: boolean };
export type VisEdge = Edge & { id: string };

const MAX_LABEL = 28;

/** What a node shows: its label when a tool gave one (a site name), else its value, shortened. */
export function nodeCaption(n: Pick<GraphNode, 'label' | 'value'>): string {
  const text = (n.label ?? n.value).trim();
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

/** Darker rim of the same hue, so overlapping dots stay distinguishable. */
export function shade(hex: string, factor: number): string {
  const v = parseInt(hex.slice(1), 16);
  const ch = (s: number) => Math.max(0, Math.min(255, Math.round(((v >> s) & 255) * factor)));
  return `#${((ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).padStart(6, '0')}`;
}

/** Colours come from the node's group, one per entity type (network-options.ts). */
export function toVisNode(n: GraphNode, large: boolean, hidden: boolean): VisNode {
  const node: VisNode = { id: n.id, label: nodeCaption(n), group: n.type, hidden };
  // Tooltips cost a DOM node per hover; a 5,000-node graph shows details in the panel instead.
  if (!large) node.title = `${n.type}: ${n.value}`;
  return node;
}

export function toVisEdge(e: GraphEdge, large: boolean): VisEdge {
  return { id: e.id, from: e.source, to: e.target, title: large ? undefined : e.type.replace(/_/g, ' ') };
}
