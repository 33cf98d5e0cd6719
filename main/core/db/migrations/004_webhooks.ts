import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_secret_expires_at', 'integer')
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .addColumn('allow_private_network', 'integer', (c) => c.notNull().defaultTo(0).check(sql`allow_private_network in (0, 1)`))
    .addColumn('timeout_ms', 'integer', (c) => c.notNull().defaultTo(10_000))
    .addColumn('disabled_reason', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','delivering','succeeded','failed','dead')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('chain', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer')
    .addColumn('lease_until', 'integer')
    .addColumn('claim_id', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  // One delivery per (event, webhook): a dispatcher that runs twice cannot double-send.
  await db.schema.createIndex('deliveries_event_webhook').on('deliveries').columns(['event_id', 'webhook_id']).unique().execute();
  await db.schema.createIndex('deliveries_webhook_created').on('deliveries').columns(['webhook_id', 'created_at']).execute();
  // Statistics, and the reclaim of expired leases (status 'delivering'), seek on this.
  await db.schema.createIndex('deliveries_webhook_status').on('deliveries').columns(['webhook_id', 'status']).execute();
  // The worker's claim scans only what is waiting or in flight.
  await sql`create index deliveries_due on deliveries(webhook_id, next_attempt_at) where status in ('pending','failed')`.execute(db);

  await db.schema
    .createTable('delivery_attempts')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    // Named after (delivery, chain, number) and never looked up alone: no index of its own.
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('request_headers', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response_headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('response_body', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('delivery_attempts_delivery').on('delivery_attempts').columns(['delivery_id', 'seq']).execute();
  await db.schema.createIndex('delivery_attempts_webhook').on('delivery_attempts').columns(['webhook_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['delivery_attempts', 'deliveries', 'webhooks']) await db.schema.dropTable(t).ifExists().execute();
}
