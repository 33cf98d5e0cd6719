import type SQLite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Who found an entity or a link (migration 024). A batch's finds carry the batch id, a single run's its run id;
 * these name the rest. Any finder but the batch itself keeps a find when the batch is deleted with its finds.
 */
export const FINDER_HAND = 'hand';
export const FINDER_IMPORT = 'import';

export async function recordEntityFinder(trx: Db, finder: string, entityId: string): Promise<void> {
  await trx
    .insertInto('entity_finders')
    .values({ finder, entity_id: entityId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function recordLinkFinder(trx: Db, finder: string, linkId: string): Promise<void> {
  await trx
    .insertInto('link_finders')
    .values({ finder, link_id: linkId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * What only `@finder` found, as two sets: the entities no other finder has and that no link kept by another
 * finder touches (such a link could not stay without its ends), and the links no other finder has plus every
 * link touching one of those entities (they go with it). The count and the delete read this one definition.
 */
const ONLY = `
  only_entities(id) as (
    select f.entity_id from entity_finders f
     where f.finder = @finder
       and not exists (select 1 from entity_finders o where o.entity_id = f.entity_id and o.finder <> @finder)
       and not exists (
         select 1 from links l
          where (l.source_id = f.entity_id or l.target_id = f.entity_id)
            and exists (select 1 from link_finders lf where lf.link_id = l.id and lf.finder <> @finder))
  ),
  only_links(id) as (
    select f.link_id from link_finders f
     where f.finder = @finder
       and not exists (select 1 from link_finders o where o.link_id = f.link_id and o.finder <> @finder)
    union select l.id from links l join only_entities e on l.source_id = e.id
    union select l.id from links l join only_entities e on l.target_id = e.id
  )`;

export interface OnlyFinds {
  entities: number;
  links: number;
}

export function countOnlyFoundBy(sqlite: SQLite.Database, finder: string): OnlyFinds {
  return sqlite
    .prepare(`with ${ONLY} select (select count(*) from only_entities) as entities, (select count(*) from only_links) as links`)
    .get({ finder }) as OnlyFinds;
}

/**
 * Deletes what only `finder` found, in the caller's transaction, and returns what it deleted. The links go
 * first, then the entities: an entity's membership depends only on links that are kept, so deleting the
 * others does not change the entity set the count saw.
 */
export function deleteOnlyFoundBy(sqlite: SQLite.Database, finder: string): OnlyFinds {
  if (!sqlite.inTransaction) throw new Error('deleteOnlyFoundBy runs inside a transaction');
  const counts = countOnlyFoundBy(sqlite, finder);
  sqlite.prepare(`with ${ONLY} delete from links where id in (select id from only_links)`).run({ finder });
  sqlite.prepare(`with ${ONLY} delete from entities where id in (select id from only_entities)`).run({ finder });
  return counts;
}
