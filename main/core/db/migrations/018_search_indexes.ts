import { sql, type Kysely } from 'kysely';

/**
 * Search indexes (#12, P10). A filter on an entity type (the commonest condition, and every type
 * chip of the entity table) then walks its own entities newest first: `entities.list` sorts by
 * first_seen desc, so with (investigation_id, type, first_seen) the page of 50 is read in index
 * order and stops early, where (investigation_id, first_seen) walked past every other type and
 * entities_unique (investigation_id, type, normalized) sorted all of that type.
 * Ties on first_seen are ordered by id in a small sort of just the tied rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists entities_inv_type_seen on entities (investigation_id, type, first_seen)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists entities_inv_type_seen`.execute(db);
}
