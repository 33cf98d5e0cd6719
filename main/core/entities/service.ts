import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { entityMethods, type EntityType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { toEntity, toLink, upsertEntity, upsertLink } from './store.ts';
import { containsPattern } from '../util/sql.ts';
import { compileFilter } from '../search/compile.ts';

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
      const [rows, total, counts] = await Promise.all([
        q.selectAll().orderBy('first_seen', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        db
          .selectFrom('entities')
          .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
          .where('investigation_id', '=', investigationId)
          .groupBy('type')
          .execute(),
      ]);
      return {
        items: rows.map(toEntity),
        total: Number(total.n),
        limit,
        offset,
        counts: Object.fromEntries(counts.map((c) => [c.type, Number(c.n)])) as Partial<Record<EntityType, number>>,
      };
    },

    async 'entities.delete'({ id }) {
      const row = await db.selectFrom('entities').select(['id', 'investigation_id']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `entity ${id} not found`);
      await db.deleteFrom('entities').where('id', '=', id).execute();
      bus.emit('entities.changed', { investigationId: row.investigation_id, added: 0, removed: 1 });
      return { id, deleted: true as const };
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
