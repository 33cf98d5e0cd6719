import { sql, type Kysely } from 'kysely';

/** Watches and their runs, finds and diffs; site health; verdicts (SPEC §3.10). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null only for built-in watches that belong to no investigation (the daily site check).
    .addColumn('investigation_id', 'text', (c) => c.references('investigations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('template','tool')`))
    .addColumn('template', 'text')
    .addColumn('tool', 'text')
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('input_type', 'text')
    .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('every_ms', 'integer')
    .addColumn('cron', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','paused')`))
    .addColumn('builtin', 'text', (c) => c.unique())
    // The next slot is durable: a process that starts late runs a missed slot once and moves on from now.
    .addColumn('next_due_at', 'integer')
    .addColumn('last_run_at', 'integer')
    .addColumn('last_change_at', 'integer')
    .addColumn('last_change_counts', 'text')
    .addColumn('run_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('watches_due').on('watches').columns(['status', 'next_due_at']).execute();

  await db.schema
    .createTable('watch_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('watch_id', 'text', (c) => c.notNull().references('watches.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('starting','running','completed','failed','cancelled')`))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('slot_at', 'integer')
    // Not a foreign key: a batch deleted later leaves the run and its diff readable.
    .addColumn('batch_id', 'text')
    .addColumn('previous_run_id', 'text')
    .addColumn('new_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('vanished_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('baseline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    // Lease of the process that is starting the run (between claiming the slot and creating its batch).
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'integer')
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'integer')
    .execute();
  await db.schema.createIndex('watch_runs_seq').on('watch_runs').columns(['watch_id', 'seq']).unique().execute();
  // A slot is started once, however many processes see it due.
  await db.schema.createIndex('watch_runs_slot').on('watch_runs').columns(['watch_id', 'slot_at']).unique().execute();
  await db.schema.createIndex('watch_runs_batch').on('watch_runs').columns(['batch_id']).execute();
  await sql`create index watch_runs_open on watch_runs(status) where status in ('starting','running')`.execute(db);

  await db.schema
    .createTable('watch_finds')
    .addColumn('run_id', 'text', (c) => c.notNull().references('watch_runs.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('props_hash', 'text')
    .addColumn('evidence_hash', 'text')
    // The operation (tool + input) that found it: a find whose operation failed this time has not vanished.
    .addColumn('op_key', 'text', (c) => c.notNull())
    .addColumn('site', 'text')
    .addColumn('username', 'text')
    .addPrimaryKeyConstraint('watch_finds_pk', ['run_id', 'key'])
    .execute();

  await db.schema
    .createTable('watch_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('run_id', 'text', (c) => c.notNull().references('watch_runs.id').onDelete('cascade'))
    .addColumn('change', 'text', (c) => c.notNull().check(sql`change in ('new','vanished','changed')`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('before_props', 'text')
    .addColumn('before_evidence', 'text')
    .addColumn('after_props', 'text')
    .addColumn('after_evidence', 'text')
    .addColumn('site', 'text')
    .addColumn('username', 'text')
    .execute();
  await db.schema.createIndex('watch_changes_run').on('watch_changes').columns(['run_id', 'change']).execute();

  await db.schema
    .createTable('site_health')
    .addColumn('site', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('unchecked','ok','degraded')`))
    .addColumn('reason', 'text')
    .addColumn('since', 'integer', (c) => c.notNull())
    .addColumn('last_checked_at', 'integer', (c) => c.notNull())
    .addColumn('last_outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('site_checks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('ok','degraded','inconclusive')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('claimed_status', 'text', (c) => c.notNull())
    .addColumn('free_status', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('site_checks_site').on('site_checks').columns(['site', 'checked_at']).execute();

  await db.schema
    .createTable('verdicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // `site:<site>|<username>` (lower-cased) for accounts, `inv:<investigation>|<type>|<normalized>` otherwise.
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('confirmed','false_positive')`))
    .addColumn('site', 'text')
    .addColumn('username', 'text')
    .addColumn('entity_type', 'text')
    .addColumn('normalized', 'text')
    .addColumn('investigation_id', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['verdicts', 'site_checks', 'site_health', 'watch_changes', 'watch_finds', 'watch_runs', 'watches']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
