import { sql } from 'kysely';
import type { DialectName } from '../db/open.ts';
import { skipLocked, valuesTable, type Db } from '../db/dialect.ts';
import type { TeamDeliveriesTable } from '../db/tables.ts';
import { headersForLog } from '../../../main/core/webhooks/delivery/headers.ts';
import { afterAttempt } from '../../../main/core/webhooks/delivery/outcome.ts';
import type { RetryPolicy } from '../../../main/core/webhooks/delivery/schedule.ts';
import type { AttemptResult } from '../../../main/core/webhooks/delivery/send.ts';

/**
 * Claims and records of team deliveries across instances (SPEC §3.9 "Delivery
 * across instances"). A claim is one short statement: it marks due rows
 * `delivering` under a fresh claim id (the fencing token) with a lease, and sets
 * `next_attempt_at` to the lease end so an instance that dies leaves its rows due
 * again at expiry. Every later write names the claim id, so a worker whose lease
 * was taken over changes nothing.
 */

export type ClaimedDelivery = Pick<
  TeamDeliveriesTable,
  'id' | 'team_id' | 'webhook_id' | 'event_id' | 'event_type' | 'payload' | 'attempts' | 'chain' | 'claim_id' | 'created_at'
>;

const RETURNING = sql`id, team_id, webhook_id, event_id, event_type, payload, attempts, chain, claim_id, created_at`;

/** Take up to `limit` due deliveries of active webhooks (abandoned claims included) under `claimId` until `until`. */
export async function claimDue(db: Db, dialect: DialectName, p: { now: number; until: number; claimId: string; limit: number }): Promise<ClaimedDelivery[]> {
  if (p.limit <= 0) return [];
  const { rows } = await sql<ClaimedDelivery>`
    with due as materialized (
      select d.id from team_deliveries d join team_webhooks w on w.id = d.webhook_id
      where d.next_attempt_at <= ${p.now} and w.active = 1
      order by d.next_attempt_at limit ${p.limit}
      ${skipLocked(dialect, 'd')}
    )
    update team_deliveries set status = 'delivering', claim_id = ${p.claimId}, lease_until = ${p.until}, next_attempt_at = ${p.until}, updated_at = ${p.now}
    where id in (select id from due)
    returning ${RETURNING}`.execute(db);
  return rows.map(numeric);
}

/** Claim one delivery by id for a synchronous attempt (test delivery); null when another holds it or it is finished. */
export async function claimOne(db: Db, p: { id: string; teamId: string; now: number; until: number; claimId: string }): Promise<ClaimedDelivery | null> {
  const { rows } = await sql<ClaimedDelivery>`
    update team_deliveries set status = 'delivering', claim_id = ${p.claimId}, lease_until = ${p.until}, next_attempt_at = ${p.until}, updated_at = ${p.now}
    where id = ${p.id} and team_id = ${p.teamId} and (status in ('pending', 'failed') or (status = 'delivering' and lease_until < ${p.now}))
    returning ${RETURNING}`.execute(db);
  return rows[0] ? numeric(rows[0]) : null;
}

/** Keep held claims from expiring while their requests run. */
export async function renewClaims(db: Db, claimIds: string[], until: number): Promise<void> {
  if (claimIds.length === 0) return;
  await db
    .updateTable('team_deliveries')
    .set({ lease_until: until, next_attempt_at: until })
    .where('claim_id', 'in', claimIds)
    .where('status', '=', 'delivering')
    .execute();
}

/** Hand claimed rows back unattempted (stopping): due again at once, no attempt counted. */
export async function releaseClaims(db: Db, rows: { id: string; claimId: string }[], now: number): Promise<void> {
  for (const r of rows) {
    await db
      .updateTable('team_deliveries')
      .set({ status: 'pending', claim_id: null, lease_until: null, next_attempt_at: now, updated_at: now })
      .where('id', '=', r.id)
      .where('claim_id', '=', r.claimId)
      .execute();
  }
}

export interface FinishedAttempt {
  row: ClaimedDelivery;
  headers: Record<string, string>;
  result: AttemptResult;
  /** Test deliveries are one-shot: a failure is final. */
  noRetry: boolean;
}

export interface RecordedTeamAttempt {
  deliveryId: string;
  teamId: string;
  webhookId: string;
  status: 'succeeded' | 'failed' | 'dead';
  number: number;
  result: AttemptResult;
  /** First attempt of the first chain: the event's lag behind its publication. */
  first: boolean;
}

export interface RecordOutcome {
  recorded: RecordedTeamAttempt[];
  /** Attempts refused because their claim was no longer the delivery's (lease taken over, webhook deleted). */
  fenced: FinishedAttempt[];
  /** Webhooks a 410 disabled. */
  disabled: string[];
}

/** Attempt ids: only a claim holder records, so (delivery, chain, number) names the attempt. */
export function teamAttemptId(deliveryId: string, chain: number, number: number): string {
  return `att_${deliveryId.slice(4)}.${chain}.${number}`;
}

/**
 * In one transaction: each delivery's new state, fenced by its claim id in a
 * single UPDATE ... FROM over the whole batch (dialect.ts valuesTable), then the
 * attempts of the rows that were still ours, then the disables a 410 asked for.
 */
export async function recordAttempts(
  db: Db,
  dialect: DialectName,
  batch: FinishedAttempt[],
  policy: RetryPolicy,
  now: number,
  random: () => number,
): Promise<RecordOutcome> {
  if (batch.length === 0) return { recorded: [], fenced: [], disabled: [] };
  const plan = batch.map((f) => ({ f, number: f.row.attempts + 1, next: afterAttempt(policy, f.row.attempts + 1, f.result.outcome, f.noRetry, now, random) }));
  const values = valuesTable(
    dialect,
    [
      ['vid', 'text'],
      ['vclaim', 'text'],
      ['status', 'text'],
      ['attempts', 'integer'],
      ['next_at', 'bigint'],
      ['code', 'integer'],
      ['latency', 'integer'],
      ['err', 'text'],
    ],
    plan.map(({ f, number, next }) => [f.row.id, f.row.claim_id, next.status, number, next.nextAt, f.result.statusCode, f.result.durationMs, next.error]),
  );
  const { rows } = await sql<{ id: string }>`
    update team_deliveries set status = v.status, attempts = v.attempts, next_attempt_at = v.next_at, lease_until = null, claim_id = null,
      last_status_code = v.code, last_latency_ms = v.latency, last_error = v.err, updated_at = ${now}
    from (${values}) as v
    where team_deliveries.id = v.vid and team_deliveries.claim_id = v.vclaim
    returning id`.execute(db);
  const held = new Set(rows.map((r) => r.id));
  const recorded: RecordedTeamAttempt[] = [];
  const fenced: FinishedAttempt[] = [];
  const gone = new Set<string>();
  const attempts = [];
  for (const { f, number, next } of plan) {
    if (!held.has(f.row.id)) {
      fenced.push(f);
      continue;
    }
    const r = f.result;
    attempts.push({
      id: teamAttemptId(f.row.id, f.row.chain, number),
      team_id: f.row.team_id,
      delivery_id: f.row.id,
      webhook_id: f.row.webhook_id,
      chain: f.row.chain,
      number,
      started_at: r.startedAt,
      duration_ms: r.durationMs,
      request_headers: JSON.stringify(headersForLog(f.headers)),
      status_code: r.statusCode,
      response_headers: JSON.stringify(r.responseHeaders),
      response_body: r.responseBody,
      error_code: next.errorCode,
      error: next.error,
    });
    if (r.outcome.kind === 'gone') gone.add(f.row.webhook_id);
    recorded.push({
      deliveryId: f.row.id,
      teamId: f.row.team_id,
      webhookId: f.row.webhook_id,
      status: next.status,
      number,
      result: r,
      first: f.row.chain === 0 && number === 1,
    });
  }
  // Batches are bounded by the worker's concurrency, far below either dialect's parameter limit.
  if (attempts.length) await db.insertInto('team_delivery_attempts').values(attempts).execute();
  const disabled: string[] = [];
  for (const id of gone) {
    const res = await db
      .updateTable('team_webhooks')
      .set({ active: 0, disabled_reason: 'receiver answered 410 Gone; webhook disabled', updated_at: now })
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) disabled.push(id);
  }
  return { recorded, fenced, disabled };
}

/** pg returns bigint columns as numbers (open.ts), SQLite as numbers too; counters may come back as strings from raw SQL. */
function numeric(r: ClaimedDelivery): ClaimedDelivery {
  return { ...r, attempts: Number(r.attempts), chain: Number(r.chain), created_at: Number(r.created_at) };
}
