import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { WebhookEventType } from '../../../preload/contract/event-types.ts';
import { newId } from '../util/ids.ts';

export interface OutboxEvent {
  id: string;
  type: WebhookEventType;
  data: unknown;
  investigationId: string | null;
  createdAt: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Append an event to the outbox. Call it with the transaction that makes the
 * change, so the event exists if and only if the change does.
 */
export async function writeEvent(
  trx: Db,
  type: WebhookEventType,
  data: unknown,
  opts: { investigationId?: string | null; now?: number } = {},
): Promise<OutboxEvent> {
  const ev: OutboxEvent = {
    id: newId('evt'),
    type,
    data,
    investigationId: opts.investigationId ?? null,
    createdAt: opts.now ?? Date.now(),
  };
  await trx
    .insertInto('outbox')
    .values({
      id: ev.id,
      type: ev.type,
      payload: JSON.stringify(data),
      investigation_id: ev.investigationId,
      created_at: ev.createdAt,
      dispatched_at: null,
    })
    .execute();
  return ev;
}
