import type { Kysely } from 'kysely';

/**
 * Public inbound channels (SPEC §3.9) and the requests they took. A request's
 * `seq` is the team's change sequence, allocated in the transaction that stores
 * it, so a stream that has sent seq N has sent every request numbered below N.
 * Bodies are bytes (`bytea`: BYTEA on PostgreSQL; on SQLite a Buffer is kept as a BLOB).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // SHA-256 (hex) of the URL's token: the URL is shown once, like a member token.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channels_team').on('channels').columns(['team_id', 'created_at']).execute();
  await db.schema
    .createTable('channel_requests')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    // JSON [[name, value], ...] in arrival order, names as sent (rawHeaders).
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('body', 'bytea', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_requests_pk', ['team_id', 'seq'])
    .execute();
  // The stream walks this index from the client's Last-Event-ID.
  await db.schema.createIndex('channel_requests_stream').on('channel_requests').columns(['channel_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_requests').execute();
  await db.schema.dropTable('channels').execute();
}
