import type { Kysely } from 'kysely';

/** Shared batch templates with their place in the team's change sequence. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shared_templates')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('shared_templates_pk', ['team_id', 'id'])
    .execute();
  // The `since` feed walks this index.
  await db.schema.createIndex('shared_templates_feed').on('shared_templates').columns(['team_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('shared_templates').execute();
}
