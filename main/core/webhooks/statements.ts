import type SQLite from 'better-sqlite3';
import type { DeliveriesTable, WebhooksTable } from './tables.ts';

/** A delivery as the worker holds it between its claim and the record of its attempt. */
export type Claimed = Pick<DeliveriesTable, 'id' | 'event_id' | 'webhook_id' | 'event_type' | 'payload' | 'attempts' | 'chain' | 'claim_id'>;

/** Every statement of the outbound side (dispatch, claims, attempts), prepared once per connection. */
export function deliveryStatements(db: SQLite.Database) {
  return {
    allHooks: db.prepare<[], WebhooksTable>('select * from webhooks'),
    pendingOutbox: db.prepare<[number], { seq: number; id: string; type: string; payload: string; created_at: number }>(
      'select seq, id, type, payload, created_at from outbox where dispatched_at is null order by seq limit ?',
    ),
    activeSubs: db.prepare<[], { id: string; events: string; created_at: number }>('select id, events, created_at from webhooks where active = 1'),
    insertDelivery: db.prepare(
      `insert or ignore into deliveries (id, event_id, webhook_id, event_type, payload, status, attempts, chain, next_attempt_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?, ?)`,
    ),
    markDispatched: db.prepare<[number, number]>('update outbox set dispatched_at = ? where dispatched_at is null and seq <= ?'),
    claim: db.prepare<[number, string, number, string, number, number], Claimed>(
      `update deliveries set status = 'delivering', lease_until = ?, claim_id = ?, updated_at = ?
       where id in (select id from deliveries where webhook_id = ? and status in ('pending','failed') and next_attempt_at <= ?
                    order by next_attempt_at limit ?)
       returning id, event_id, webhook_id, event_type, payload, attempts, chain, claim_id`,
    ),
    nextDue: db.prepare<[number], { at: number | null }>(
      `select min(next_attempt_at) as at from deliveries
       where status in ('pending','failed') and next_attempt_at > ? and webhook_id in (select id from webhooks where active = 1)`,
    ),
    reclaim: db.prepare<[number, number, number]>(
      `update deliveries set status = 'pending', lease_until = null, claim_id = null, next_attempt_at = ?, updated_at = ?
       where webhook_id in (select id from webhooks) and status = 'delivering' and lease_until < ?`,
    ),
    renew: db.prepare<[number, string]>(`update deliveries set lease_until = ? where claim_id = ? and status = 'delivering'`),
    release: db.prepare<[number, number, string, string]>(
      `update deliveries set status = 'pending', lease_until = null, claim_id = null, next_attempt_at = ?, updated_at = ?
       where id = ? and claim_id = ? and status = 'delivering'`,
    ),
    insertAttempt: db.prepare(
      `insert into delivery_attempts (id, delivery_id, webhook_id, chain, number, started_at, duration_ms, request_headers,
         status_code, response_headers, response_body, error_code, error)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    finish: db.prepare(
      `update deliveries set status = ?, attempts = ?, next_attempt_at = ?, lease_until = null, claim_id = null,
         last_status_code = ?, last_latency_ms = ?, last_error = ?, updated_at = ?
       where id = ? and claim_id = ?`,
    ),
    disable: db.prepare<[string, number, string]>('update webhooks set active = 0, disabled_reason = ?, updated_at = ? where id = ? and active = 1'),
    claimOne: db.prepare<[number, string, number, string], Claimed>(
      `update deliveries set status = 'delivering', lease_until = ?, claim_id = ?, updated_at = ?
       where id = ? and status != 'delivering'
       returning id, event_id, webhook_id, event_type, payload, attempts, chain, claim_id`,
    ),
    claimReplay: db.prepare<[number, string, number, string], Claimed>(
      `update deliveries set status = 'delivering', chain = chain + 1, attempts = 0, next_attempt_at = null,
         lease_until = ?, claim_id = ?, updated_at = ?
       where id = ? and status in ('succeeded','failed','dead')
       returning id, event_id, webhook_id, event_type, payload, attempts, chain, claim_id`,
    ),
  };
}

export type DeliveryStatements = ReturnType<typeof deliveryStatements>;
