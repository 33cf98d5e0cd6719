import { sql, type Kysely } from 'kysely';

/**
 * Team webhooks, their deliveries and every attempt (SPEC §3.3, §3.9). A claimed
 * delivery keeps `next_attempt_at` equal to its lease end, so one index finds
 * both what is due and what a dead instance left behind.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('events', 'text', (c) => c.notNull())
    // The server has no sealing key of its own: the operator's database access is the boundary (README).
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('team_webhooks_team').on('team_webhooks').columns(['team_id', 'created_at']).execute();

  await db.schema
    .createTable('team_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('team_webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('chain', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('lease_until', 'bigint')
    .addColumn('claim_id', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One delivery per (webhook, event): a retried fan-out creates nothing twice.
  await db.schema.createIndex('team_deliveries_pair').on('team_deliveries').columns(['webhook_id', 'event_id']).unique().execute();
  await db.schema
    .createIndex('team_deliveries_due')
    .on('team_deliveries')
    .column('next_attempt_at')
    .where(sql.ref('next_attempt_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('team_deliveries_list').on('team_deliveries').columns(['webhook_id', 'created_at']).execute();

  await db.schema
    .createTable('team_delivery_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('team_deliveries.id').onDelete('cascade'))
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('request_headers', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('response_headers', 'text', (c) => c.notNull())
    .addColumn('response_body', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('team_delivery_attempts_delivery').on('team_delivery_attempts').columns(['delivery_id', 'chain', 'number']).execute();
  await db.schema.createIndex('team_delivery_attempts_webhook').on('team_delivery_attempts').columns(['webhook_id', 'started_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['team_delivery_attempts', 'team_deliveries', 'team_webhooks']) await db.schema.dropTable(t).execute();
}
