import { sql, type Kysely } from 'kysely';

/**
 * Relay endpoints fed by a team channel (SPEC §3.9 desktop side): the channel an
 * endpoint takes its requests from, and the last channel event it processed. The
 * cursor is written in the transaction that logs the request, so after a restart
 * or a kill the stream resumes exactly after it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('relay_endpoints').addColumn('channel_id', 'text').execute();
  await sql`create table relay_channel_cursors (
    endpoint_id text primary key references relay_endpoints(id) on delete cascade,
    channel_id text not null,
    last_seq integer not null,
    updated_at integer not null
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('relay_channel_cursors').ifExists().execute();
  await db.schema.alterTable('relay_endpoints').dropColumn('channel_id').execute();
}
