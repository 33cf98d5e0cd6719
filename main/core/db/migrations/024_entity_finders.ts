import { sql, type Kysely } from 'kysely';

/**
 * Who found each entity and link (issue #18 item 2), so deleting a batch can offer to delete what only that
 * batch found. A finder is a batch id, a single tool run id, `hand` or `import`; an entity has one row per
 * finder, however often that finder met it. Also the investigator's notes on an entity (item 4).
 *
 * Rows from before this migration know only their first finder (`source_run_id`). The backfill is
 * conservative: an entity seen again after it was first found (last_seen > first_seen) may have been found
 * by another run we cannot name, so it gets the `unknown` finder and a batch delete never takes it, nor the
 * links that touch it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('entities')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  for (const [table, col, parent] of [
    ['entity_finders', 'entity_id', 'entities'],
    ['link_finders', 'link_id', 'links'],
  ] as const) {
    // (finder, id) first: a batch delete reads one finder's rows; the second index answers "who else found it".
    await sql`create table ${sql.raw(table)} (
      finder text not null,
      ${sql.raw(col)} text not null references ${sql.raw(parent)}(id) on delete cascade,
      primary key (finder, ${sql.raw(col)})
    ) without rowid`.execute(db);
    await sql`create index ${sql.raw(`${table}_${col}`)} on ${sql.raw(table)} (${sql.raw(col)})`.execute(db);
  }
  await sql`insert or ignore into entity_finders (finder, entity_id)
    select coalesce(o.batch_id, e.source_run_id, 'hand'), e.id from entities e left join operations o on o.id = e.source_run_id`.execute(db);
  // Single runs list every entity they produced, not only the ones they created.
  await sql`insert or ignore into entity_finders (finder, entity_id)
    select r.id, j.value from tool_runs r, json_each(r.entity_ids) j where j.value in (select id from entities)`.execute(db);
  await sql`insert or ignore into entity_finders (finder, entity_id) select 'unknown', id from entities where last_seen > first_seen`.execute(db);
  await sql`insert or ignore into link_finders (finder, link_id)
    select coalesce(o.batch_id, l.source_run_id, 'hand'), l.id from links l left join operations o on o.id = l.source_run_id`.execute(db);
  await sql`insert or ignore into link_finders (finder, link_id)
    select 'unknown', l.id from links l
     where exists (select 1 from entity_finders f where f.finder = 'unknown' and f.entity_id in (l.source_id, l.target_id))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists link_finders`.execute(db);
  await sql`drop table if exists entity_finders`.execute(db);
  await db.schema.alterTable('entities').dropColumn('notes').execute();
}
