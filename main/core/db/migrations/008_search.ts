import { sql, type Kysely } from 'kysely';

/**
 * Search (SPEC §3.6): saved filters, and two FTS5 external-content indexes over entities kept
 * by triggers in the writing transaction: words (unicode61, diacritics folded) and trigrams
 * (substrings). Both read one view, so the indexed text is defined once: value, label, the
 * properties JSON as stored (keys too: FTS5 reads content with virtual tables disabled, so
 * json_tree cannot pick out the values here), and the evidence excerpt.
 *
 * The index keys on the entities' implicit rowid; a plain VACUUM may renumber those, so anything
 * that vacuums must run `insert into entities_fts(entities_fts) values('rebuild')` (both tables).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('list', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_filters_list_name').on('saved_filters').columns(['list', 'name']).unique().execute();

  await sql`
    create view entities_fts_source as
    select e.rowid as rowid, e.value as value, e.label as label, e.properties as properties,
      json_extract(e.evidence, '$.excerpt') as excerpt
    from entities as e`.execute(db);
  await sql`create virtual table entities_fts using fts5(value, label, properties, excerpt,
    content='entities_fts_source', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`create virtual table entities_fts_tri using fts5(value, label, properties, excerpt,
    content='entities_fts_source', content_rowid='rowid', tokenize='trigram remove_diacritics 1')`.execute(db);

  const add = (t: string, ref: string) =>
    `insert into ${t}(rowid, value, label, properties, excerpt) select rowid, value, label, properties, excerpt from entities_fts_source where rowid = ${ref}.rowid;`;
  const remove = (t: string, ref: string) =>
    `insert into ${t}(${t}, rowid, value, label, properties, excerpt) select 'delete', rowid, value, label, properties, excerpt from entities_fts_source where rowid = ${ref}.rowid;`;
  // Only a change of indexed text touches the index: a merge that only moves last_seen costs nothing.
  const changed = `old.value is not new.value or old.label is not new.label or old.properties is not new.properties or old.evidence is not new.evidence`;
  await sql.raw(`create trigger entities_fts_insert after insert on entities begin ${add('entities_fts', 'new')} ${add('entities_fts_tri', 'new')} end`).execute(db);
  await sql.raw(`create trigger entities_fts_delete before delete on entities begin ${remove('entities_fts', 'old')} ${remove('entities_fts_tri', 'old')} end`).execute(db);
  await sql.raw(`create trigger entities_fts_update_old before update on entities when ${changed} begin ${remove('entities_fts', 'old')} ${remove('entities_fts_tri', 'old')} end`).execute(db);
  await sql.raw(`create trigger entities_fts_update_new after update on entities when ${changed} begin ${add('entities_fts', 'new')} ${add('entities_fts_tri', 'new')} end`).execute(db);

  // Index what is already there, then prove the index matches its content (throws if not).
  for (const t of ['entities_fts', 'entities_fts_tri']) {
    await sql.raw(`insert into ${t}(${t}) values('rebuild')`).execute(db);
    await sql.raw(`insert into ${t}(${t}, rank) values('integrity-check', 1)`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['entities_fts_insert', 'entities_fts_delete', 'entities_fts_update_old', 'entities_fts_update_new']) {
    await sql.raw(`drop trigger if exists ${t}`).execute(db);
  }
  await sql`drop table if exists entities_fts`.execute(db);
  await sql`drop table if exists entities_fts_tri`.execute(db);
  await sql`drop view if exists entities_fts_source`.execute(db);
  await db.schema.dropTable('saved_filters').ifExists().execute();
}
