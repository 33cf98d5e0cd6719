import { sql, type Kysely } from 'kysely';

/** Batches, their operations and every attempt, and batch templates (SPEC §2, §3.2). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('follow_ups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('max_depth', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('tool', 'text')
    .addColumn('template_id', 'text', (c) => c.references('templates.id').onDelete('set null'))
    .addColumn('template_name', 'text')
    // Steps and follow-up rules as they were when the batch started: editing the template later does not change a running batch.
    .addColumn('plan', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending','running','paused','completed','failed','cancelled')`),
    )
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    // Which process runs the batch ("host:pid:nonce") and until when; another executor takes over only after it lapses or the pid is gone.
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'integer')
    .addColumn('finished_at', 'integer')
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('batches_inv_created').on('batches').columns(['investigation_id', 'created_at']).execute();
  await db.schema.createIndex('batches_status').on('batches').columns(['status']).execute();

  await db.schema
    .createTable('operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('batches.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('input_type', 'text', (c) => c.notNull())
    .addColumn('input_value', 'text', (c) => c.notNull())
    .addColumn('input_entity_id', 'text')
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parent_id', 'text')
    // (tool, normalized input) for batches with follow-up rules; unique per batch so nothing runs twice.
    .addColumn('dedupe_key', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','running','completed','failed','cancelled')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'integer')
    .addColumn('finished_at', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('output', 'text')
    .addColumn('error', 'text')
    .addColumn('error_kind', 'text')
    .execute();
  // Claiming: priority is a property of the batch, so the executor walks batches by priority and claims
  // each one's pending operations in seq order from this index (status, then seq; next_attempt_at is checked per row).
  await db.schema.createIndex('operations_claim').on('operations').columns(['batch_id', 'status', 'seq']).execute();
  await sql`create unique index operations_dedupe on operations(batch_id, dedupe_key) where dedupe_key is not null`.execute(db);

  await db.schema
    .createTable('operation_attempts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('operation_id', 'text', (c) => c.notNull().references('operations.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('error_kind', 'text')
    .execute();
  await db.schema.createIndex('operation_attempts_op').on('operation_attempts').columns(['operation_id', 'attempt']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['operation_attempts', 'operations', 'batches', 'templates']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
