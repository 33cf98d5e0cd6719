import { sql, type Kysely } from 'kysely';

/**
 * Which process runs a single tool run (SPEC §3.2): a run left `running` by a process that is gone (kill -9,
 * a crash) is marked failed at the next start instead of spinning forever. Older rows have no owner.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tool_runs').addColumn('owner', 'text').execute();
  // Every start looks for running rows; a partial index keeps that free however many runs there are.
  await sql`create index tool_runs_running on tool_runs (id) where status = 'running'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists tool_runs_running`.execute(db);
  await db.schema.alterTable('tool_runs').dropColumn('owner').execute();
}
