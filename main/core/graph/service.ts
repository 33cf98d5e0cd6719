import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import type { EntityType, LinkType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { toLink } from '../entities/store.ts';
import { GRAPH_LIMIT, graphMethods, type GraphEdge, type GraphNode } from '../../../preload/contract/graph.ts';

type NodeRow = [id: string, type: EntityType, value: string, label: string | null];
type EdgeRow = [id: string, source: string, target: string, type: LinkType];

/**
 * The whole graph of an investigation in one call. The renderer draws up to
 * tens of thousands of elements, so this reads only the four columns it needs
 * with raw prepared statements (arrays, no JSON parsing, no row objects from
 * the query builder): 50,000 nodes and edges stay well under a second.
 */
export function createGraphHandlers(ctx: CoreContext): HandlersOf<typeof graphMethods> {
  const { sqlite } = ctx;
  const investigationExists = sqlite.prepare<[string]>('select 1 from investigations where id = ?').pluck();

  return {
    async 'graph.get'({ investigationId, types }) {
      if (!investigationExists.get(investigationId)) throw new DossierError('not_found', `investigation ${investigationId} not found`);
      // Types come from the zod enum, but they are still bound as parameters, never spliced.
      const typeList = types ? [...new Set(types)] : null;
      const marks = typeList ? typeList.map(() => '?').join(',') : '';
      const typeArgs = typeList ?? [];

      // Oldest first, so the nodes kept when truncating are stable as the investigation grows.
      const nodeStmt = sqlite
        .prepare(
          `select id, type, value, label from entities where investigation_id = ?${typeList ? ` and type in (${marks})` : ''} order by first_seen, rowid`,
        )
        .raw(true);
      const nodes: GraphNode[] = [];
      const kept = new Set<string>();
      let totalNodes = 0;
      for (const r of nodeStmt.iterate(investigationId, ...typeArgs) as IterableIterator<NodeRow>) {
        totalNodes++;
        if (nodes.length >= GRAPH_LIMIT) continue;
        nodes.push({ id: r[0], type: r[1], value: r[2], label: r[3] });
        kept.add(r[0]);
      }

      const edgeStmt = sqlite
        .prepare(
          typeList
            ? `select l.id, l.source_id, l.target_id, l.type from links l
                 join entities s on s.id = l.source_id join entities t on t.id = l.target_id
                where l.investigation_id = ? and s.type in (${marks}) and t.type in (${marks})`
            : 'select id, source_id, target_id, type from links where investigation_id = ?',
        )
        .raw(true);
      const edges: GraphEdge[] = [];
      let totalEdges = 0;
      const nodesCut = totalNodes > nodes.length;
      for (const r of edgeStmt.iterate(investigationId, ...typeArgs, ...typeArgs) as IterableIterator<EdgeRow>) {
        totalEdges++;
        if (edges.length >= GRAPH_LIMIT) continue;
        // An edge to a node that was cut would dangle in the drawing.
        if (nodesCut && !(kept.has(r[1]) && kept.has(r[2]))) continue;
        edges.push({ id: r[0], source: r[1], target: r[2], type: r[3] });
      }

      return { nodes, edges, totalNodes, totalEdges, truncated: nodesCut || totalEdges > edges.length };
    },

    async 'graph.link'({ id }) {
      const row = await ctx.db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `link ${id} not found`);
      const ends = await ctx.db
        .selectFrom('entities')
        .select(['id', 'type', 'value', 'label'])
        .where('id', 'in', [row.source_id, row.target_id])
        .execute();
      const end = (eid: string): GraphNode => {
        const e = ends.find((x) => x.id === eid)!;
        return { id: e.id, type: e.type as EntityType, value: e.value, label: e.label };
      };
      return { link: toLink(row), source: end(row.source_id), target: end(row.target_id) };
    },
  };
}
