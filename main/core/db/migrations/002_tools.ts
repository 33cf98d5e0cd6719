import { sql, type Kysely } from 'kysely';

/** Tool runs (single runs and the executor's operations both point here) and the credentials vault. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tool_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigations.id').onDelete('cascade'))
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('input_type', 'text', (c) => c.notNull())
    .addColumn('input_value', 'text', (c) => c.notNull())
    .addColumn('input_entity_id', 'text')
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('running').check(sql`status in ('running','succeeded','failed','cancelled')`),
    )
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('error_kind', 'text')
    .addColumn('summary', 'text')
    .addColumn('output', 'text')
    .addColumn('entity_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('entity_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('tool_runs_inv_started').on('tool_runs').columns(['investigation_id', 'started_at']).execute();

  await db.schema
    .createTable('credentials')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value_sealed', 'text', (c) => c.notNull())
    .addColumn('box_kind', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('credentials').ifExists().execute();
  await db.schema.dropTable('tool_runs').ifExists().execute();
}
