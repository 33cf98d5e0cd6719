import type { Kysely } from 'kysely';

/** Who last changed a shared template on the team server, and when (the Team section lists them). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('templates').addColumn('remote_updated_by', 'text').execute();
  // Epoch ms of the server's updated_at; null for local templates and before the first push.
  await db.schema.alterTable('templates').addColumn('remote_updated_at', 'integer').execute();
}
