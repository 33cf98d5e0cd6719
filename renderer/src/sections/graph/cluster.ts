import type { EntityType } from '../../../../preload/contract/entities.ts';
import type { GraphNode } from '../../../../preload/contract/graph.ts';
import { entityColor } from '../../lib/entity-colors.ts';

/** How the graph folds nodes into expandable clusters. */
export type Grouping = 'none' | 'type' | 'site';

/**
 * Past this many nodes the graph opens folded by type: thousands of dots
 * drawn at once read as a solid disc, and a dozen clusters draw at once.
 */
export const CLUSTER_START_NODES = 2_000;

/** Ids of cluster nodes start with this, so they are never mistaken for entity ids. */
export const CLUSTER_PREFIX = 'cluster:';

export function startGrouping(nodeCount: number): Grouping {
  return nodeCount > CLUSTER_START_NODES ? 'type' : 'none';
}

export function isClusterId(id: string): boolean {
  return id.startsWith(CLUSTER_PREFIX);
}

/** The site an account is on: its label when a tool named the site, else the URL's host without "www.". */
export function siteOf(n: Pick<GraphNode, 'type' | 'label' | 'value'>): string | null {
  if (n.type !== 'account') return null;
  if (n.label?.trim()) return n.label.trim();
  try {
    return new URL(n.value).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** The cluster a node belongs to under a grouping, or null when it stays on its own. */
export function groupKey(n: Pick<GraphNode, 'type' | 'label' | 'value'>, by: Grouping): string | null {
  if (by === 'type') return `${CLUSTER_PREFIX}type:${n.type}`;
  if (by === 'site') {
    const site = siteOf(n);
    return site ? `${CLUSTER_PREFIX}site:${site.toLowerCase()}` : null;
  }
  return null;
}

export interface ClusterGroup {
  id: string;
  label: string;
  type: EntityType;
  color: string;
  members: string[];
}

/** A cluster of one would only hide a node behind a bigger dot. */
const MIN_MEMBERS = 2;

/**
 * The clusters a grouping makes, biggest first. Hidden types are left out, so
 * a cluster never stands for nodes the legend has switched off.
 */
export function clusterGroups(nodes: readonly GraphNode[], by: Grouping, hidden: ReadonlySet<EntityType> = new Set()): ClusterGroup[] {
  if (by === 'none') return [];
  const groups = new Map<string, ClusterGroup>();
  for (const n of nodes) {
    if (hidden.has(n.type)) continue;
    const id = groupKey(n, by);
    if (!id) continue;
    let g = groups.get(id);
    if (!g) {
      const name = by === 'type' ? n.type : siteOf(n)!;
      g = { id, label: name, type: n.type, color: entityColor(n.type), members: [] };
      groups.set(id, g);
    }
    g.members.push(n.id);
  }
  return [...groups.values()]
    .filter((g) => g.members.length >= MIN_MEMBERS)
    .map((g) => ({ ...g, label: `${g.label} (${g.members.length.toLocaleString('en-US')})` }))
    .sort((a, b) => b.members.length - a.members.length || a.id.localeCompare(b.id));
}

/** A cluster's dot grows with what it holds, but slowly: 10 nodes → 20 px, 3,000 → ~60 px. */
export function clusterSize(members: number): number {
  return Math.round(12 + 7 * Math.log10(Math.max(1, members)) * 2);
}
