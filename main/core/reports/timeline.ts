import { sql } from 'kysely';
import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import type { Timeline, TimelineBucket, TimelineItem, TimelineQuery } from '../../../preload/contract/reports.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { compileFilter } from '../search/compile.ts';
import { iso } from '../util/time.ts';
import { bucketFor } from './timeline-picture.ts';

/**
 * Entities (by first seen) and tool runs (by start) over time, counted per
 * bucket for a range, with the items of the range listed. Zooming is asking
 * again with a narrower range. `types` and `filter` narrow the entities the
 * way the entity table's type buttons and filter builder do.
 */
export async function timeline(ctx: CoreContext, q: z.output<typeof TimelineQuery>): Promise<Timeline> {
  const { db } = ctx;
  const inv = await db.selectFrom('investigations').select('id').where('id', '=', q.investigationId).executeTakeFirst();
  if (!inv) throw new DossierError('not_found', `investigation ${q.investigationId} not found`);
  const types = q.types ? [...new Set(q.types)] : null;
  let entities = db.selectFrom('entities').where('investigation_id', '=', q.investigationId);
  if (types) entities = entities.where('type', 'in', types);
  if (q.filter) entities = entities.where(compileFilter('entities', q.filter));
  const runs = db.selectFrom('tool_runs').where('investigation_id', '=', q.investigationId);

  const e = await entities.select((eb) => [eb.fn.min<number | null>('first_seen').as('lo'), eb.fn.max<number | null>('first_seen').as('hi'), eb.fn.countAll<number>().as('n')]).executeTakeFirstOrThrow();
  const r = await runs.select((eb) => [eb.fn.min<number | null>('started_at').as('lo'), eb.fn.max<number | null>('started_at').as('hi'), eb.fn.countAll<number>().as('n')]).executeTakeFirstOrThrow();
  const lo = Math.min(e.lo ?? Infinity, r.lo ?? Infinity);
  const hi = Math.max(e.hi ?? -Infinity, r.hi ?? -Infinity);
  if (!Number.isFinite(lo)) return { span: null, from: null, to: null, bucketMs: 0, buckets: [], items: [], totals: { entities: 0, runs: 0 } };
  const from = q.from ? Date.parse(q.from) : lo;
  const to = q.to ? Date.parse(q.to) : Math.max(hi, lo + 1);
  const b = bucketFor(from, to, q.buckets);
  const buckets: TimelineBucket[] = Array.from({ length: b.buckets }, (_, i) => ({ start: iso(b.from + i * b.bucketMs), entities: {}, runs: { succeeded: 0, failed: 0, other: 0 } }));
  const at = (i: number) => buckets[Math.min(b.buckets - 1, Math.max(0, Number(i)))]!;
  const bucketOf = (col: 'first_seen' | 'started_at') => sql<number>`cast((${sql.ref(col)} - ${b.from}) / ${b.bucketMs} as integer)`.as('i');

  const entityRows = await entities
    .where('first_seen', '>=', from)
    .where('first_seen', '<=', to)
    .select((eb) => [bucketOf('first_seen'), 'type', eb.fn.countAll<number>().as('n')])
    .groupBy(['i', 'type'])
    .execute();
  for (const row of entityRows) {
    const bucket = at(row.i);
    const t = row.type as EntityType;
    bucket.entities[t] = (bucket.entities[t] ?? 0) + Number(row.n);
  }
  const runRows = await runs
    .where('started_at', '>=', from)
    .where('started_at', '<=', to)
    .select((eb) => [bucketOf('started_at'), 'status', eb.fn.countAll<number>().as('n')])
    .groupBy(['i', 'status'])
    .execute();
  for (const row of runRows) {
    const c = at(row.i).runs;
    if (row.status === 'succeeded') c.succeeded += Number(row.n);
    else if (row.status === 'failed') c.failed += Number(row.n);
    else c.other += Number(row.n);
  }

  const items: TimelineItem[] = [];
  if (q.itemLimit > 0) {
    const ents = await entities.where('first_seen', '>=', from).where('first_seen', '<=', to).select(['id', 'type', 'value', 'label', 'first_seen']).orderBy('first_seen').orderBy(sql`rowid`).limit(q.itemLimit).execute();
    for (const x of ents) items.push({ kind: 'entity', at: iso(x.first_seen), id: x.id, type: x.type as EntityType, value: x.value, label: x.label });
    const rs = await runs.where('started_at', '>=', from).where('started_at', '<=', to).select(['id', 'tool', 'status', 'input_value', 'entity_count', 'started_at']).orderBy('started_at').orderBy(sql`rowid`).limit(q.itemLimit).execute();
    for (const x of rs) items.push({ kind: 'run', at: iso(x.started_at), id: x.id, tool: x.tool, status: x.status, input: x.input_value, entityCount: x.entity_count });
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
    totals: { entities: Number(e.n), runs: Number(r.n) },
  };
}
