import type { Kysely } from 'kysely';
import { deliveryBody } from '../../../main/core/webhooks/delivery/payload.ts';
import type { SyncDatabase, TeamWebhooksTable } from '../db/tables.ts';
import type { DialectName } from '../db/open.ts';
import { newId } from '../tokens.ts';
import { recordAttempts } from './claims.ts';
import { attemptDelivery } from './attempt.ts';
import { toSending } from './hooks.ts';
import type { TeamDeliveryWorker } from './worker.ts';
import type { DeliveryOptions } from './worker.ts';

/**
 * `POST /webhooks/:id/test`: one `webhook.test` delivery, attempted now and
 * recorded before answering, whatever the webhook subscribes to. It is stored
 * claimed and never due, so no worker takes it; a failure is final (one-shot).
 */
export async function testDelivery(
  db: Kysely<SyncDatabase>,
  dialect: DialectName,
  hook: TeamWebhooksTable,
  data: unknown,
  o: { worker: TeamDeliveryWorker; delivery: DeliveryOptions; version: string; now: () => number },
) {
  const now = o.now();
  const eventId = newId('evt');
  const claimId = newId('clm');
  const row = {
    id: newId('dlv'),
    team_id: hook.team_id,
    webhook_id: hook.id,
    event_id: eventId,
    event_type: 'webhook.test',
    payload: deliveryBody({ id: eventId, type: 'webhook.test', createdAt: now, dataJson: JSON.stringify(data) }, hook.id),
    attempts: 0,
    chain: 0,
    claim_id: claimId,
    created_at: now,
  };
  await db
    .insertInto('team_deliveries')
    .values({
      ...row,
      status: 'delivering',
      next_attempt_at: null,
      lease_until: now + o.delivery.leaseMs,
      last_status_code: null,
      last_latency_ms: null,
      last_error: null,
      updated_at: now,
    })
    .execute();
  const { headers, result } = await attemptDelivery(row, toSending(hook), {
    version: o.version,
    agent: o.worker.agent,
    leaseMs: o.delivery.leaseMs,
    now: o.now,
  });
  const out = await db
    .transaction()
    .execute((trx) => recordAttempts(trx, dialect, [{ row, headers, result, noRetry: true }], o.delivery.policy, o.now(), o.delivery.random));
  if (out.disabled.length) o.worker.forgetWebhook(hook.id);
  const o2 = result.outcome;
  return {
    delivery_id: row.id,
    status: out.recorded[0]?.status ?? 'dead',
    status_code: result.statusCode,
    duration_ms: result.durationMs,
    response_body: result.responseBody,
    error_code: o2.kind === 'success' ? null : o2.errorCode,
    error: o2.kind === 'success' ? null : o2.error,
  };
}
