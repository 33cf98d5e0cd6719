import type { Kysely } from 'kysely';
import { deliveryBody } from '../../../main/core/webhooks/delivery/payload.ts';
import type { PublishEventBody } from '../../../main/core/sync/wire.ts';
import type { SyncDatabase } from '../db/tables.ts';
import type { Caller } from '../context.ts';
import { newId } from '../tokens.ts';

/**
 * Store a published event and its deliveries in one transaction (SPEC §3.9): the
 * client's id is the key, so the same id again changes nothing and answers
 * `duplicate`. Each subscribed active webhook of the team gets the desktop's
 * payload, due now.
 */
export async function publishEvent(
  db: Kysely<SyncDatabase>,
  c: Caller,
  ev: PublishEventBody,
  now: number,
): Promise<{ duplicate: true } | { id: string; deliveries: number }> {
  return db.transaction().execute(async (trx) => {
    const occurredAt = Date.parse(ev.timestamp);
    const dataJson = JSON.stringify(ev.data);
    const inserted = await trx
      .insertInto('team_events')
      .values({ team_id: c.teamId, id: ev.id, event_type: ev.event, occurred_at: occurredAt, data: dataJson, member_id: c.memberId, received_at: now })
      .onConflict((oc) => oc.columns(['team_id', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { duplicate: true as const };
    const hooks = await trx.selectFrom('team_webhooks').select(['id', 'events']).where('team_id', '=', c.teamId).where('active', '=', 1).execute();
    const rows = hooks
      .filter((h) => (JSON.parse(h.events) as string[]).includes(ev.event))
      .map((h) => ({
        id: newId('dlv'),
        team_id: c.teamId,
        webhook_id: h.id,
        event_id: ev.id,
        event_type: ev.event,
        payload: deliveryBody({ id: ev.id, type: ev.event, createdAt: occurredAt, dataJson }, h.id),
        status: 'pending' as const,
        attempts: 0,
        chain: 0,
        next_attempt_at: now,
        lease_until: null,
        claim_id: null,
        last_status_code: null,
        last_latency_ms: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      }));
    if (rows.length) await trx.insertInto('team_deliveries').values(rows).execute();
    return { id: ev.id, deliveries: rows.length };
  });
}
