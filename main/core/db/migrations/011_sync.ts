import { sql, type Kysely } from 'kysely';

/** Team link (SPEC §2): the link itself, the outbox of local template changes, conflicts; templates learn whether they are shared. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('templates').addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The server version the local copy was last in step with; null until its first push.
  await db.schema.alterTable('templates').addColumn('remote_version', 'integer').execute();

  await db.schema
    .createTable('sync_link')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('token_sealed', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('team_name', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('member_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('connected_at', 'integer', (c) => c.notNull())
    .addColumn('last_sync_at', 'integer')
    .addColumn('last_attempt_at', 'integer')
    .addColumn('last_error', 'text')
    // One process syncs at a time (the app, `relay start`, `sync now` may share a data directory).
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'integer')
    .execute();

  await db.schema
    .createTable('sync_outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('upsert','delete')`))
    // For a delete the local row is gone: the version it was based on and its name travel here.
    .addColumn('remote_version', 'integer')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_outbox_template').on('sync_outbox').columns(['template_id', 'seq']).execute();

  await db.schema
    .createTable('sync_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('template_name', 'text', (c) => c.notNull())
    // The local edit kept beside the server's copy; null when the local change was a delete.
    .addColumn('copy_id', 'text')
    .addColumn('copy_name', 'text')
    .addColumn('server_version', 'integer', (c) => c.notNull())
    .addColumn('server_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('dismissed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
