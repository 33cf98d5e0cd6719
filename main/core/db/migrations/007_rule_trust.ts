import type { Kysely } from 'kysely';

/**
 * Batches a relay rule starts run on values any webhook sender chose (SPEC §5): untrusted, unless the rule says its
 * sender is trusted. Existing rules are untrusted, the safe side.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('relay_rules').addColumn('trusted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('relay_rules').dropColumn('trusted').execute();
}
