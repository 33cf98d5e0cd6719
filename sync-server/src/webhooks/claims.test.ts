import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyncStore, type SyncStore } from '../db/open.ts';
import { DIALECTS, testStorage } from '../testing/harness.ts';
import { createTeam } from '../teams.ts';
import { claimDue, recordAttempts, renewClaims, type ClaimedDelivery } from './claims.ts';
import type { AttemptResult } from '../../../main/core/webhooks/delivery/send.ts';

const POLICY = { delaysMs: [1000], jitter: 0, maxRetryAfterMs: 60_000 };
const ok = (startedAt: number): AttemptResult => ({
  startedAt,
  durationMs: 5,
  statusCode: 200,
  responseHeaders: {},
  responseBody: 'ok',
  outcome: { kind: 'success' },
});
const failed = (startedAt: number): AttemptResult => ({
  startedAt,
  durationMs: 5,
  statusCode: 500,
  responseHeaders: {},
  responseBody: '',
  outcome: { kind: 'retry', errorCode: 'http_5xx', error: 'receiver answered 500', retryAfterMs: null },
});

/** Claims, leases and fencing with an injected clock: every time below is a number the test chooses. */
describe.each(DIALECTS)('delivery claims on %s', (dialect) => {
  let store: SyncStore;
  let cleanup: () => Promise<void>;
  let teamId: string;
  let n = 0;

  beforeAll(async () => {
    const st = await testStorage(dialect);
    cleanup = st.cleanup;
    store = await openSyncStore({ ...st.opts, poolSize: 3 });
    teamId = (await createTeam(store, 'claims', 'admin')).team.id;
    await store.db
      .insertInto('team_webhooks')
      .values({
        id: 'whk_c',
        team_id: teamId,
        url: 'http://x/',
        description: '',
        events: '["job.created"]',
        secret: 's'.repeat(16),
        headers: '{}',
        active: 1,
        timeout_ms: 1000,
        disabled_reason: null,
        created_by: null,
        created_at: 0,
        updated_at: 0,
      })
      .execute();
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  async function due(at: number): Promise<string> {
    const id = `dlv_c${++n}`;
    await store.db
      .insertInto('team_deliveries')
      .values({
        id,
        team_id: teamId,
        webhook_id: 'whk_c',
        event_id: `evt_${n}`,
        event_type: 'job.created',
        payload: '{}',
        status: 'pending',
        attempts: 0,
        chain: 0,
        next_attempt_at: at,
        lease_until: null,
        claim_id: null,
        last_status_code: null,
        last_latency_ms: null,
        last_error: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  }
  const claim = (now: number, claimId: string, leaseMs = 1000) =>
    store.db.transaction().execute((trx) => claimDue(trx, store.dialect, { now, until: now + leaseMs, claimId, limit: 10 }));
  const record = (row: ClaimedDelivery, result: AttemptResult, now: number) =>
    store.db.transaction().execute((trx) => recordAttempts(trx, store.dialect, [{ row, headers: {}, result, noRetry: false }], POLICY, now, () => 0.5));
  const attempts = async (id: string) => store.db.selectFrom('team_delivery_attempts').selectAll().where('delivery_id', '=', id).execute();

  it("a claim holds until its lease ends; an expired lease is taken over; the stale owner's late result is refused and the new owner's is recorded", async () => {
    const id = await due(10_000);
    expect(await claim(9_999, 'clm_early')).toEqual([]); // not due yet
    const [mine] = await claim(10_000, 'clm_a');
    expect(mine).toMatchObject({ id, claim_id: 'clm_a', attempts: 0 });
    expect(await claim(10_500, 'clm_b')).toEqual([]); // held
    const [taken] = await claim(11_000, 'clm_b'); // lease ended at 11 000
    expect(taken).toMatchObject({ id, claim_id: 'clm_b', attempts: 0 });

    const late = await record(mine!, failed(10_100), 11_200);
    expect(late.recorded).toEqual([]);
    expect(late.fenced.map((f) => f.row.claim_id)).toEqual(['clm_a']);
    expect(await attempts(id)).toEqual([]);

    const rec = await record(taken!, ok(11_050), 11_300);
    expect(rec.recorded.map((r) => [r.deliveryId, r.status, r.number])).toEqual([[id, 'succeeded', 1]]);
    const row = await store.db.selectFrom('team_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, claim_id: null, next_attempt_at: null });
    expect((await attempts(id)).map((a) => Number(a.started_at))).toEqual([11_050]);
  });

  it("a renewed lease is not taken over; a failure is due again after the schedule's delay", async () => {
    const id = await due(20_000);
    const [row] = await claim(20_000, 'clm_r');
    await renewClaims(store.db, ['clm_r'], 21_900);
    expect(await claim(21_500, 'clm_thief')).toEqual([]);
    const rec = await record(row!, failed(20_010), 21_600);
    expect(rec.recorded[0]).toMatchObject({ status: 'failed', number: 1 });
    const after = await store.db.selectFrom('team_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(after.next_attempt_at)).toBe(22_600);
    expect(await claim(22_599, 'clm_x')).toEqual([]);
    expect((await claim(22_600, 'clm_y')).map((r) => [r.id, r.attempts])).toEqual([[id, 1]]);
  });
});
