import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { DeliveryStatus } from '../../../preload/contract/webhooks.ts';
import { WEBHOOK_TIMEOUT_MS } from '../../../preload/contract/webhooks.ts';
import { generateSecret } from '../../../main/core/webhooks/delivery/signing.ts';
import { LATENCY_WINDOW, summarizeStats } from '../../../main/core/webhooks/delivery/stats.ts';
import { REDACTED } from '../../../main/core/util/secret-names.ts';
import type { SyncDatabase, TeamWebhooksTable } from '../db/tables.ts';
import type { Caller } from '../context.ts';
import { writeAudit } from '../audit.ts';
import { ApiError } from '../http/errors.ts';
import { newId } from '../tokens.ts';
import type { CreateTeamWebhook, UpdateTeamWebhook } from './wire.ts';

type Db = Kysely<SyncDatabase>;

/** A team's webhook or 404: every lookup is scoped to the caller's team, so another team's id is simply unknown. */
export async function findWebhook(db: Db, teamId: string, id: string): Promise<TeamWebhooksTable> {
  const row = await db.selectFrom('team_webhooks').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `no webhook ${id} in this team`);
  return row;
}

export async function createWebhook(
  db: Db,
  c: Caller,
  body: z.output<typeof CreateTeamWebhook>,
  now: number,
): Promise<{ row: TeamWebhooksTable; secret: string }> {
  const secret = body.secret ?? generateSecret();
  const row: TeamWebhooksTable = {
    id: newId('whk'),
    team_id: c.teamId,
    url: body.url,
    description: body.description ?? '',
    events: JSON.stringify(body.events),
    secret,
    headers: JSON.stringify(body.headers ?? {}),
    active: 1,
    timeout_ms: body.timeout_ms ?? WEBHOOK_TIMEOUT_MS.default,
    disabled_reason: null,
    created_by: c.memberName,
    created_at: now,
    updated_at: now,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('team_webhooks').values(row).execute();
    await writeAudit(trx, {
      teamId: c.teamId,
      memberId: c.memberId,
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: row.id,
      detail: { url: row.url },
      at: now,
    });
  });
  return { row, secret };
}

export async function updateWebhook(db: Db, c: Caller, id: string, body: z.output<typeof UpdateTeamWebhook>, now: number): Promise<TeamWebhooksTable> {
  return db.transaction().execute(async (trx) => {
    const cur = await findWebhook(trx as unknown as Db, c.teamId, id);
    const next: Partial<TeamWebhooksTable> = { updated_at: now };
    if (body.url !== undefined) next.url = body.url;
    if (body.events !== undefined) next.events = JSON.stringify(body.events);
    if (body.description !== undefined) next.description = body.description;
    if (body.timeout_ms !== undefined) next.timeout_ms = body.timeout_ms;
    if (body.headers !== undefined) {
      // A value sent back masked keeps the stored one (a client round-trips what it was shown).
      const old = JSON.parse(cur.headers) as Record<string, string>;
      next.headers = JSON.stringify(Object.fromEntries(Object.entries(body.headers).map(([k, v]) => [k, v === REDACTED && k in old ? old[k]! : v])));
    }
    if (body.active !== undefined) {
      next.active = body.active ? 1 : 0;
      if (body.active) next.disabled_reason = null;
    }
    await trx.updateTable('team_webhooks').set(next).where('team_id', '=', c.teamId).where('id', '=', id).execute();
    await writeAudit(trx, {
      teamId: c.teamId,
      memberId: c.memberId,
      action: 'webhook.update',
      targetType: 'webhook',
      targetId: id,
      detail: { fields: Object.keys(body) },
      at: now,
    });
    return { ...cur, ...next };
  });
}

export async function deleteWebhook(db: Db, c: Caller, id: string, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await findWebhook(trx as unknown as Db, c.teamId, id);
    // Attempts and deliveries go with it (cascade); a worker holding one of its claims records nothing (fencing).
    await trx.deleteFrom('team_webhooks').where('team_id', '=', c.teamId).where('id', '=', id).execute();
    await writeAudit(trx, { teamId: c.teamId, memberId: c.memberId, action: 'webhook.delete', targetType: 'webhook', targetId: id, at: now });
  });
}

/** Statistics per webhook (SPEC §3.3) with the desktop's arithmetic. */
export async function webhookStats(db: Db, teamId: string, ids: string[]) {
  const out = new Map<string, ReturnType<typeof summarizeStats>>();
  if (ids.length === 0) return out;
  const counts = await db
    .selectFrom('team_deliveries')
    .select(['webhook_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('team_id', '=', teamId)
    .where('webhook_id', 'in', ids)
    .groupBy(['webhook_id', 'status'])
    .execute();
  for (const id of ids) {
    const by = Object.fromEntries(counts.filter((r) => r.webhook_id === id).map((r) => [r.status, Number(r.n)])) as Partial<Record<DeliveryStatus, number>>;
    const last = await db
      .selectFrom('team_delivery_attempts as a')
      .innerJoin('team_deliveries as d', 'd.id', 'a.delivery_id')
      .select(['a.started_at', 'd.status'])
      .where('a.webhook_id', '=', id)
      .orderBy('a.started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const lat = await db
      .selectFrom('team_delivery_attempts')
      .select('duration_ms')
      .where('webhook_id', '=', id)
      .where('status_code', 'is not', null)
      .orderBy('started_at', 'desc')
      .limit(LATENCY_WINDOW)
      .execute();
    out.set(
      id,
      summarizeStats(
        by,
        last ? { startedAt: Number(last.started_at), status: last.status } : null,
        lat.map((r) => Number(r.duration_ms)),
      ),
    );
  }
  return out;
}

export async function listDeliveries(db: Db, teamId: string, webhookId: string, q: { status?: DeliveryStatus; limit: number }) {
  await findWebhook(db, teamId, webhookId);
  let query = db.selectFrom('team_deliveries').selectAll().where('team_id', '=', teamId).where('webhook_id', '=', webhookId);
  if (q.status) query = query.where('status', '=', q.status);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  const attempts = rows.length
    ? await db
        .selectFrom('team_delivery_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('chain')
        .orderBy('number')
        .execute()
    : [];
  return { rows, attempts };
}

/**
 * Replay a finished delivery (SPEC §3.3): a new chain of attempts, due now, taken
 * by whichever instance claims first. A delivery still pending or in flight is a conflict.
 */
export async function replayDelivery(db: Db, c: Caller, id: string, now: number) {
  const { rows } = await sql<{ id: string }>`
    update team_deliveries set status = 'pending', chain = chain + 1, attempts = 0, next_attempt_at = ${now}, lease_until = null, claim_id = null, updated_at = ${now}
    where id = ${id} and team_id = ${c.teamId} and status in ('succeeded', 'failed', 'dead')
    returning id`.execute(db);
  if (rows.length === 0) {
    const d = await db.selectFrom('team_deliveries').select('status').where('team_id', '=', c.teamId).where('id', '=', id).executeTakeFirst();
    if (!d) throw new ApiError('not_found', `no delivery ${id} in this team`);
    throw new ApiError('conflict', `delivery ${id} is ${d.status}; only a finished delivery can be replayed`);
  }
  await db
    .transaction()
    .execute((trx) => writeAudit(trx, { teamId: c.teamId, memberId: c.memberId, action: 'delivery.replay', targetType: 'delivery', targetId: id, at: now }));
  return db.selectFrom('team_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
