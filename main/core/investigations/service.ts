import { sql } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { InvestigationsTable } from '../db/schema.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { investigationMethods, type Investigation } from '../../../preload/contract/investigations.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { writeEvent } from '../events/outbox.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { containsPattern } from '../util/sql.ts';
import { compileFilter } from '../search/compile.ts';

type Row = InvestigationsTable & { entity_count?: number | null; last_found?: number | null };

export function toInvestigation(r: Row): Investigation {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    tags: parseJson<string[]>(r.tags, []),
    entityCount: Number(r.entity_count ?? 0),
    createdAt: iso(r.created_at),
    // Finding something changes an investigation as much as renaming it: the latest find counts as an update.
    updatedAt: iso(Math.max(r.updated_at, Number(r.last_found ?? 0))),
  };
}

export function createInvestigationHandlers(ctx: CoreContext): HandlersOf<typeof investigationMethods> {
  const { db, bus } = ctx;

  const selectWithCount = () =>
    db
      .selectFrom('investigations as i')
      .selectAll('i')
      .select((eb) =>
        eb
          .selectFrom('entities as e')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('e.investigation_id', '=', 'i.id')
          .as('entity_count'),
      )
      // An index seek on entities_inv_seen (investigation_id, first_seen): the newest find, without a write per entity.
      .select((eb) =>
        eb
          .selectFrom('entities as e')
          .select((inner) => inner.fn.max<number>('e.first_seen').as('m'))
          .whereRef('e.investigation_id', '=', 'i.id')
          .as('last_found'),
      );

  async function get(id: string): Promise<Investigation> {
    const row = await selectWithCount().where('i.id', '=', id).executeTakeFirst();
    if (!row) throw new DossierError('not_found', `investigation ${id} not found`);
    return toInvestigation(row);
  }

  return {
    async 'investigations.create'(input) {
      const now = ctx.clock.now();
      const row: InvestigationsTable = {
        id: newId('inv'),
        name: input.name,
        description: input.description ?? '',
        status: 'active',
        tags: JSON.stringify(dedupe(input.tags ?? [])),
        created_at: now,
        updated_at: now,
      };
      const inv = toInvestigation(row);
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('investigations').values(row).execute();
        await writeEvent(trx, 'investigation.created', { investigation: inv }, { investigationId: row.id, now });
      });
      bus.emit('investigation.changed', { id: inv.id, kind: 'created', investigation: inv });
      return inv;
    },

    async 'investigations.get'({ id }) {
      return get(id);
    },

    async 'investigations.list'({ limit, offset, search, status, filter }) {
      let q = selectWithCount();
      let c = db.selectFrom('investigations as i').select((eb) => eb.fn.countAll<number>().as('n'));
      if (filter) {
        const where = compileFilter('investigations', filter);
        q = q.where(where);
        c = c.where(where);
      }
      if (search) {
        const like = containsPattern(search);
        q = q.where(sql<boolean>`(i.name like ${like} escape '\\' or i.description like ${like} escape '\\')`);
        c = c.where(sql<boolean>`(i.name like ${like} escape '\\' or i.description like ${like} escape '\\')`);
      }
      if (status) {
        q = q.where('i.status', '=', status);
        c = c.where('i.status', '=', status);
      }
      const [rows, count] = await Promise.all([
        // In the order of the Updated the list shows (a find counts).
        q.orderBy(sql`max(i.updated_at, coalesce(last_found, 0))`, 'desc').orderBy('i.id', 'desc').limit(limit).offset(offset).execute(),
        c.executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toInvestigation), total: Number(count.n), limit, offset };
    },

    async 'investigations.update'(input) {
      const now = ctx.clock.now();
      const changes: Partial<InvestigationsTable> = { updated_at: now };
      if (input.name !== undefined) changes.name = input.name;
      if (input.description !== undefined) changes.description = input.description;
      if (input.tags !== undefined) changes.tags = JSON.stringify(dedupe(input.tags));
      if (input.status !== undefined) changes.status = input.status;
      const inv = await db.transaction().execute(async (trx) => {
        const res = await trx.updateTable('investigations').set(changes).where('id', '=', input.id).executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) throw new DossierError('not_found', `investigation ${input.id} not found`);
        const row = await trx
          .selectFrom('investigations as i')
          .selectAll('i')
          .select((eb) =>
            eb.selectFrom('entities as e').select(eb.fn.countAll<number>().as('n')).whereRef('e.investigation_id', '=', 'i.id').as('entity_count'),
          )
          .where('i.id', '=', input.id)
          .executeTakeFirstOrThrow();
        const updated = toInvestigation(row);
        const { id: _id, ...changed } = input;
        await writeEvent(trx, 'investigation.updated', { investigation: updated, changed: Object.keys(changed) }, { investigationId: input.id, now });
        return updated;
      });
      bus.emit('investigation.changed', { id: inv.id, kind: 'updated', investigation: inv });
      return inv;
    },

    async 'investigations.delete'({ id }) {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('investigations').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
        if (!row) throw new DossierError('not_found', `investigation ${id} not found`);
        await trx.deleteFrom('investigations').where('id', '=', id).execute();
        await writeEvent(trx, 'investigation.deleted', { investigation: { id, name: row.name } }, { investigationId: id });
      });
      bus.emit('investigation.changed', { id, kind: 'deleted' });
      return { id, deleted: true as const };
    },
  };
}

function dedupe(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}
