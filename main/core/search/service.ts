import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { FILTER_SCHEMA_VERSION, type Filter } from '../../../preload/contract/filters.ts';
import type { FilterList } from '../../../preload/contract/filter-fields.ts';
import { searchMethods, type SavedFilter } from '../../../preload/contract/search.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { checkFilter } from './check-filter.ts';
import { EntitySearch } from './fts.ts';
import type { SavedFiltersTable } from './tables.ts';

export function toSavedFilter(r: SavedFiltersTable): SavedFilter {
  return {
    id: r.id,
    list: r.list as FilterList,
    name: r.name,
    filter: JSON.parse(r.filter) as Filter,
    version: r.version,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const isUniqueViolation = (e: unknown) => String((e as Error)?.message).includes('UNIQUE constraint failed');

export function createSearchHandlers(ctx: CoreContext): HandlersOf<typeof searchMethods> {
  const { db } = ctx;
  const fts = new EntitySearch(ctx.sqlite);

  async function get(id: string): Promise<SavedFiltersTable> {
    const row = await db.selectFrom('saved_filters').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DossierError('not_found', `saved filter ${id} not found`);
    return row;
  }

  return {
    async 'search.query'({ text, investigationId, limit }) {
      if (investigationId) {
        const inv = await db.selectFrom('investigations').select('id').where('id', '=', investigationId).executeTakeFirst();
        if (!inv) throw new DossierError('not_found', `investigation ${investigationId} not found`);
      }
      return fts.search(text, { investigationId, limit });
    },

    async 'filters.saved.list'({ list }) {
      let q = db.selectFrom('saved_filters').selectAll();
      if (list) q = q.where('list', '=', list);
      const rows = await q.orderBy('list').orderBy('name').execute();
      return rows.map(toSavedFilter);
    },

    async 'filters.saved.save'({ list, name, filter, replace }) {
      // A saved filter must compile for its list now, not fail later when applied.
      const checked = checkFilter(list, filter);
      const now = ctx.clock.now();
      const row: SavedFiltersTable = { id: newId('flt'), list, name, filter: JSON.stringify(checked), version: FILTER_SCHEMA_VERSION, created_at: now, updated_at: now };
      return db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('saved_filters').selectAll().where('list', '=', list).where('name', '=', name).executeTakeFirst();
        if (existing) {
          if (!replace) throw new DossierError('conflict', `a saved filter "${name}" for ${list} exists; pass replace to overwrite it`);
          await trx.updateTable('saved_filters').set({ filter: row.filter, version: row.version, updated_at: now }).where('id', '=', existing.id).execute();
          return toSavedFilter({ ...existing, filter: row.filter, version: row.version, updated_at: now });
        }
        await trx.insertInto('saved_filters').values(row).execute();
        return toSavedFilter(row);
      });
    },

    async 'filters.saved.rename'({ id, name }) {
      const row = await get(id);
      const now = ctx.clock.now();
      try {
        await db.updateTable('saved_filters').set({ name, updated_at: now }).where('id', '=', id).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw new DossierError('conflict', `a saved filter "${name}" for ${row.list} exists`);
        throw e;
      }
      return toSavedFilter({ ...row, name, updated_at: now });
    },

    async 'filters.saved.delete'({ id }) {
      await get(id);
      await db.deleteFrom('saved_filters').where('id', '=', id).execute();
      return { id, deleted: true as const };
    },
  };
}
