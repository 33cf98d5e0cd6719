import type { Kysely } from 'kysely';

/** Events desktops publish (SPEC §3.9): the client's id is the key, so a resent event is recognised. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_events')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_events_pk', ['team_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('team_events').execute();
}
