import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { entityMethods, type EntityType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { toEntity, toLink, upsertEntity, upsertLink } from './store.ts';
import { FINDER_HAND, recordEntityFinder } from './finders.ts';
import type { EntitiesTable } from '../db/schema.ts';
import { containsPattern } from '../util/sql.ts';
import { compileFilter } from '../search/compile.ts';

/** `entities.list` counts filtered matches this many pages past the requested one, no further. */
export const COUNT_PAGES_AHEAD = 10;

export function createEntityHandlers(ctx: CoreContext): HandlersOf<typeof entityMethods> {
  const { db, bus } = ctx;

  async function requireInvestigation(id: string) {
    const inv = await db.selectFrom('investigations').select('id').where('id', '=', id).executeTakeFirst();
    if (!inv) throw new DossierError('not_found', `investigation ${id} not found`);
  }

  return {
    async 'entities.add'(input) {
      await requireInvestigation(input.investigationId);
      const now = ctx.clock.now();
      const res = await db.transaction().execute(async (trx) => {
        const r = await upsertEntity(trx, input.investigationId, { ...input, properties: input.properties ?? {} }, now);
        await trx.updateTable('investigations').set({ updated_at: now }).where('id', '=', input.investigationId).execute();
        return r;
      });
      bus.emit('entities.changed', { investigationId: input.investigationId, added: res.created ? 1 : 0, removed: 0 });
      return res;
    },

    async 'entities.get'({ id }) {
      const row = await db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `entity ${id} not found`);
      return toEntity(row);
    },

    async 'entities.list'({ investigationId, type, search, filter, limit, offset }) {
      const where = filter ? compileFilter('entities', filter) : null;
      await requireInvestigation(investigationId);
      let q = db.selectFrom('entities').where('investigation_id', '=', investigationId);
      if (where) q = q.where(where);
      if (type) q = q.where('type', '=', type);
      if (search) {
        const like = containsPattern(search);
        q = q.where(sql<boolean>`(value like ${like} escape '\\' or label like ${like} escape '\\')`);
      }
      // Newest first; with a type the page walks entities_inv_type_seen (018) and stops at `limit`.
      const rows = await q.selectAll().orderBy('first_seen', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
      // Per-type counts from the hourly rollup the entity triggers keep (015): a few thousand
      // rows, where count(*) group by type read every entity of the investigation (~90 ms at 1M).
      const byType = await db
        .selectFrom('entity_stats_hour')
        .select(['type', (eb) => eb.fn.sum<number>('count').as('n')])
        .where('investigation_id', '=', investigationId)
        .groupBy('type')
        .execute();
      const counts = Object.fromEntries(byType.filter((c) => Number(c.n) > 0).map((c) => [c.type, Number(c.n)])) as Partial<Record<EntityType, number>>;
      let total: number;
      let totalCapped = false;
      if (!where && !search) {
        total = type ? (counts[type] ?? 0) : Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
      } else if (rows.length < limit && (rows.length > 0 || offset === 0)) {
        // The page query already read past the last match (a page past the end says nothing: count).
        total = offset + rows.length;
      } else {
        // Count matches only up to 10 pages past this one: a LIKE over every entity is seconds at 1M.
        const bound = offset + limit * COUNT_PAGES_AHEAD;
        const { n } = await db
          .selectFrom(
            q
              .select(sql<number>`1`.as('one'))
              .limit(bound + 1)
              .as('m'),
          )
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        total = Math.min(Number(n), bound);
        totalCapped = Number(n) > bound;
      }
      return { items: rows.map(toEntity), total, totalCapped, limit, offset, counts };
    },

    async 'entities.update'({ id, label, notes, properties }) {
      const now = ctx.clock.now();
      const entity = await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw new DossierError('not_found', `entity ${id} not found`);
        const changes: Partial<EntitiesTable> = {};
        if (label !== undefined) changes.label = label ? label : null;
        if (notes !== undefined) changes.notes = notes;
        if (properties !== undefined) changes.properties = JSON.stringify(properties);
        await trx.updateTable('entities').set(changes).where('id', '=', id).execute();
        // An entity the investigator edited is theirs: deleting a batch with its finds leaves it (finders.ts).
        await recordEntityFinder(trx, FINDER_HAND, id);
        await trx.updateTable('investigations').set({ updated_at: now }).where('id', '=', row.investigation_id).execute();
        return toEntity({ ...row, ...changes });
      });
      bus.emit('entities.changed', { investigationId: entity.investigationId, added: 0, removed: 0 });
      return entity;
    },

    async 'entities.delete'({ id }) {
      const row = await db.selectFrom('entities').select(['id', 'investigation_id']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `entity ${id} not found`);
      await db.deleteFrom('entities').where('id', '=', id).execute();
      bus.emit('entities.changed', { investigationId: row.investigation_id, added: 0, removed: 1 });
      return { id, deleted: true as const };
    },

    async 'entities.deleteMany'({ ids }) {
      const unique = [...new Set(ids)];
      const byInvestigation = await db.transaction().execute(async (trx) => {
        const rows: { id: string; investigation_id: string }[] = [];
        // SQLite caps bound parameters per statement; 500 at a time stays well under it.
        for (let i = 0; i < unique.length; i += 500) {
          rows.push(...(await trx.selectFrom('entities').select(['id', 'investigation_id']).where('id', 'in', unique.slice(i, i + 500)).execute()));
        }
        if (rows.length !== unique.length) {
          const known = new Set(rows.map((r) => r.id));
          throw new DossierError('not_found', `entity ${unique.find((id) => !known.has(id))} not found; nothing was deleted`);
        }
        for (let i = 0; i < unique.length; i += 500) await trx.deleteFrom('entities').where('id', 'in', unique.slice(i, i + 500)).execute();
        const n = new Map<string, number>();
        for (const r of rows) n.set(r.investigation_id, (n.get(r.investigation_id) ?? 0) + 1);
        return n;
      });
      for (const [investigationId, removed] of byInvestigation) bus.emit('entities.changed', { investigationId, added: 0, removed });
      return { deleted: unique.length };
    },

    async 'links.add'(input) {
      await requireInvestigation(input.investigationId);
      const res = await db.transaction().execute((trx) => upsertLink(trx, input.investigationId, input, ctx.clock.now()));
      bus.emit('entities.changed', { investigationId: input.investigationId, added: 0, removed: 0 });
      return res;
    },

    async 'links.list'({ investigationId, limit, offset }) {
      await requireInvestigation(investigationId);
      const q = db.selectFrom('links').where('investigation_id', '=', investigationId);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('created_at').orderBy('id').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toLink), total: Number(total.n), limit, offset };
    },

    async 'links.delete'({ id }) {
      const row = await db.selectFrom('links').select(['id', 'investigation_id']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `link ${id} not found`);
      await db.deleteFrom('links').where('id', '=', id).execute();
      bus.emit('entities.changed', { investigationId: row.investigation_id, added: 0, removed: 0 });
      return { id, deleted: true as const };
    },
  };
}
