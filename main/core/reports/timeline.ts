import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import type { Timeline, TimelineBucket, TimelineItem, TimelineQuery } from '../../../preload/contract/reports.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { iso } from '../util/time.ts';
import { bucketFor } from './timeline-picture.ts';

/**
 * Entities (by first seen) and tool runs (by start) over time, counted per
 * bucket for a range, with the items of the range listed. Zooming is asking
 * again with a narrower range. `types` narrows the entities like the entity
 * table's type filter does.
 */
export function timeline(ctx: CoreContext, q: z.output<typeof TimelineQuery>): Timeline {
  const db = ctx.sqlite;
  if (!db.prepare('select 1 from investigations where id = ?').get(q.investigationId)) throw new DossierError('not_found', `investigation ${q.investigationId} not found`);
  const types = q.types ? [...new Set(q.types)] : null;
  const typeSql = types ? ` and type in (${types.map(() => '?').join(',')})` : '';
  const typeArgs = types ?? [];
  const e = db.prepare(`select min(first_seen) as lo, max(first_seen) as hi, count(*) as n from entities where investigation_id = ?${typeSql}`).get(q.investigationId, ...typeArgs) as { lo: number | null; hi: number | null; n: number };
  const r = db.prepare('select min(started_at) as lo, max(started_at) as hi, count(*) as n from tool_runs where investigation_id = ?').get(q.investigationId) as { lo: number | null; hi: number | null; n: number };
  const lo = Math.min(e.lo ?? Infinity, r.lo ?? Infinity);
  const hi = Math.max(e.hi ?? -Infinity, r.hi ?? -Infinity);
  if (!Number.isFinite(lo)) return { span: null, from: null, to: null, bucketMs: 0, buckets: [], items: [], totals: { entities: 0, runs: 0 } };
  const from = q.from ? Date.parse(q.from) : lo;
  const to = q.to ? Date.parse(q.to) : Math.max(hi, lo + 1);
  const b = bucketFor(from, to, q.buckets);
  const buckets: TimelineBucket[] = Array.from({ length: b.buckets }, (_, i) => ({ start: iso(b.from + i * b.bucketMs), entities: {}, runs: { succeeded: 0, failed: 0, other: 0 } }));
  const at = (i: number) => buckets[Math.min(b.buckets - 1, Math.max(0, i))]!;
  const rangeArgs = [from, to];
  for (const row of db
    .prepare(`select cast((first_seen - ?) / ? as integer) as i, type, count(*) as n from entities where investigation_id = ? and first_seen between ? and ?${typeSql} group by i, type`)
    .all(b.from, b.bucketMs, q.investigationId, ...rangeArgs, ...typeArgs) as { i: number; type: EntityType; n: number }[]) {
    const bucket = at(row.i);
    bucket.entities[row.type] = (bucket.entities[row.type] ?? 0) + row.n;
  }
  for (const row of db
    .prepare('select cast((started_at - ?) / ? as integer) as i, status, count(*) as n from tool_runs where investigation_id = ? and started_at between ? and ? group by i, status')
    .all(b.from, b.bucketMs, q.investigationId, ...rangeArgs) as { i: number; status: string; n: number }[]) {
    const runs = at(row.i).runs;
    if (row.status === 'succeeded') runs.succeeded += row.n;
    else if (row.status === 'failed') runs.failed += row.n;
    else runs.other += row.n;
  }
  const items: TimelineItem[] = [];
  if (q.itemLimit > 0) {
    for (const x of db
      .prepare(`select id, type, value, label, first_seen from entities where investigation_id = ? and first_seen between ? and ?${typeSql} order by first_seen, rowid limit ?`)
      .all(q.investigationId, ...rangeArgs, ...typeArgs, q.itemLimit) as { id: string; type: EntityType; value: string; label: string | null; first_seen: number }[]) {
      items.push({ kind: 'entity', at: iso(x.first_seen), id: x.id, type: x.type, value: x.value, label: x.label });
    }
    for (const x of db
      .prepare('select id, tool, status, input_value, entity_count, started_at from tool_runs where investigation_id = ? and started_at between ? and ? order by started_at, rowid limit ?')
      .all(q.investigationId, ...rangeArgs, q.itemLimit) as { id: string; tool: string; status: string; input_value: string; entity_count: number; started_at: number }[]) {
      items.push({ kind: 'run', at: iso(x.started_at), id: x.id, tool: x.tool, status: x.status, input: x.input_value, entityCount: x.entity_count });
    }
    items.sort((a, b2) => a.at.localeCompare(b2.at));
    items.length = Math.min(items.length, q.itemLimit);
  }
  return {
    span: { from: iso(lo), to: iso(Math.max(hi, lo + 1)) },
    from: iso(from),
    to: iso(to),
    bucketMs: b.bucketMs,
    buckets,
    items,
    totals: { entities: e.n, runs: r.n },
  };
}
