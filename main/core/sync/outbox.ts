import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { TemplatesTable } from '../templates/tables.ts';

/**
 * Queue a local change of a shared template, in the transaction of the change
 * itself, so a change is never saved without being queued (or queued without being saved).
 */
export async function enqueueTemplateChange(
  trx: Transaction<Database>,
  row: Pick<TemplatesTable, 'id' | 'name' | 'shared' | 'remote_version'>,
  kind: 'upsert' | 'delete',
  now: number,
): Promise<void> {
  if (!row.shared) return;
  await trx
    .insertInto('sync_outbox')
    .values({ template_id: row.id, kind, remote_version: row.remote_version ?? null, name: row.name, created_at: now })
    .execute();
}
