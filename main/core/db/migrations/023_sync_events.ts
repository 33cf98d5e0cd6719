import type { Kysely } from 'kysely';

/**
 * Team events (SPEC §3.9 desktop side): the webhook outbox is also the durable
 * outbox of events published to the team server. The link remembers the last
 * outbox seq it went through; offline it stays put, and the next sync publishes
 * from there (the server deduplicates by event id, so a crash between a publish
 * and the cursor's commit repeats nothing).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sync_link')
    .addColumn('events_cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_link').dropColumn('events_cursor').execute();
}
