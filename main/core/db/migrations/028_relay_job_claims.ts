import { type Kysely } from 'kysely';

/**
 * relay_jobs get a claim (SPEC §1, one queue discipline): the desktop and `dossier serve` on one data directory
 * both run the action worker, and without a claim both forwarded the same request. A job is taken with a lease and a
 * claim id; only the holder of the claim records its outcome (a worker whose lease ran out cannot write over the
 * one that took the job over).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('relay_jobs').addColumn('claim_id', 'text').execute();
  await db.schema.alterTable('relay_jobs').addColumn('lease_until', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('relay_jobs').dropColumn('lease_until').execute();
  await db.schema.alterTable('relay_jobs').dropColumn('claim_id').execute();
}
