import { z } from 'zod';
import { method } from './define.ts';
import { Id } from './common.ts';
import { ENTITY_TYPES, type EntityType, type Link, type LinkType } from './entities.ts';

/** The most nodes and the most edges one `graph.get` returns; beyond it the answer says it was truncated. */
export const GRAPH_LIMIT = 50_000;

export const GetGraph = z.object({
  investigationId: Id,
  /** Only these entity types (and the links between them); all types when absent. */
  types: z.array(z.enum(ENTITY_TYPES)).min(1).max(ENTITY_TYPES.length).optional(),
});

/** Just what drawing needs; the details panel fetches the full entity with `entities.get`. */
export interface GraphNode {
  id: string;
  type: EntityType;
  value: string;
  label: string | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  type: LinkType;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Entities and links of the investigation matching the filter, before the limit. */
  totalNodes: number;
  totalEdges: number;
  /** True when nodes or edges were cut at GRAPH_LIMIT. */
  truncated: boolean;
}

/** A link with both of its ends, for the details panel of a selected edge. */
export interface GraphLinkDetail {
  link: Link;
  source: GraphNode;
  target: GraphNode;
}

export const graphMethods = {
  'graph.get': method(GetGraph).returns<Graph>(),
  'graph.link': method(z.object({ id: Id })).returns<GraphLinkDetail>(),
};
