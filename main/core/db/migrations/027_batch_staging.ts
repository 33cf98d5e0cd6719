import { sql, type Kysely } from 'kysely';

/**
 * A batch being imported is staged (SPEC §1: no transaction held across file I/O): its row and operations are
 * written chunk by chunk while `staged_by` names the importing process, and a last short transaction clears it.
 * Until then no list, count or executor sees the batch; a stage left by a process that died is removed at start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('batches').addColumn('staged_by', 'text').execute();
  await sql`create index batches_staged on batches (id) where staged_by is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists batches_staged`.execute(db);
  await db.schema.alterTable('batches').dropColumn('staged_by').execute();
}
