import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('investigations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active','archived')`))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('investigations_updated').on('investigations').columns(['updated_at']).execute();

  await db.schema
    .createTable('entities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source_run_id', 'text')
    .addColumn('evidence', 'text')
    .addColumn('first_seen', 'integer', (c) => c.notNull())
    .addColumn('last_seen', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('entities_unique')
    .on('entities')
    .columns(['investigation_id', 'type', 'normalized'])
    .unique()
    .execute();
  await db.schema.createIndex('entities_inv_seen').on('entities').columns(['investigation_id', 'first_seen']).execute();

  await db.schema
    .createTable('links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('investigation_id', 'text', (c) => c.notNull().references('investigations.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('source_run_id', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('links_unique').on('links').columns(['source_id', 'target_id', 'type']).unique().execute();
  await db.schema.createIndex('links_inv').on('links').columns(['investigation_id']).execute();
  await db.schema.createIndex('links_target').on('links').columns(['target_id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('investigation_id', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('dispatched_at', 'integer')
    .execute();
  await sql`create index outbox_pending on outbox(seq) where dispatched_at is null`.execute(db);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['settings', 'outbox', 'links', 'entities', 'investigations']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
