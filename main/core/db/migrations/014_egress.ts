import type { Kysely } from 'kysely';

/** The egress a single tool run used (SPEC §3.11): "direct" or the proxy, never a secret. Older runs were direct. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tool_runs').addColumn('egress', 'text', (c) => c.notNull().defaultTo('direct')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tool_runs').dropColumn('egress').execute();
}
