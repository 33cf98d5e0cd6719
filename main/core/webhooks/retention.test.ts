import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { applyDeliveryRetention } from './retention.ts';
import { webhookStats } from './stats.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

async function setup() {
  const clock = { t: NOW, now: () => clock.t };
  core = await tempCore({ clock });
  core.ctx.sqlite
    .prepare(
      `insert into webhooks (id, url, description, events, secret_sealed, headers, active, allow_private_network, timeout_ms, created_at, updated_at)
       values ('wh_1', 'http://127.0.0.1:1/hook', '', '["entity.discovered"]', 'x', '{}', 1, 1, 1000, ?, ?)`,
    )
    .run(NOW - 400 * DAY, NOW - 400 * DAY);
  return { core, clock };
}

let n = 0;
/** A delivery with `attempts` attempts (the last `lastAt`, 2xx when succeeded); returns its id. */
function addDelivery(c: Core, status: string, lastAt: number, attempts = 2): string {
  const id = `dlv_${++n}`;
  c.ctx.sqlite
    .prepare(
      `insert into deliveries (id, event_id, webhook_id, event_type, payload, status, attempts, chain, next_attempt_at, created_at, updated_at)
       values (?, ?, 'wh_1', 'entity.discovered', '{}', ?, ?, 0, ?, ?, ?)`,
    )
    .run(id, `evt_${n}`, status, attempts, status === 'pending' || status === 'failed' ? lastAt + DAY : null, lastAt - 1000, lastAt);
  for (let i = 1; i <= attempts; i++)
    c.ctx.sqlite
      .prepare(
        `insert into delivery_attempts (id, delivery_id, webhook_id, chain, number, started_at, duration_ms, request_headers, status_code)
         values (?, ?, 'wh_1', 0, ?, ?, ?, '{}', ?)`,
      )
      .run(`${id}_${i}`, id, i, lastAt - (attempts - i) * 1000, 10 * i, i === attempts && status === 'succeeded' ? 200 : 503);
  return id;
}

const ids = (c: Core) => c.ctx.sqlite.prepare(`select id from deliveries order by id`).pluck().all() as string[];
const attemptsOf = (c: Core) => c.ctx.sqlite.prepare(`select distinct delivery_id from delivery_attempts order by delivery_id`).pluck().all() as string[];
const rollups = (c: Core) => c.ctx.sqlite.prepare(`select bucket, ok, code, count from webhook_stats_hour order by bucket, ok, code`).all();

describe('delivery log retention (webhooks.retention.days)', () => {
  it('removes finished deliveries (delivered, dead-lettered) and their attempts past the setting; never pending, retrying or in-flight ones', async () => {
    const { core: c } = await setup();
    await c.call('settings.set', { key: 'webhooks.retention.days', value: 31 });
    const old = NOW - 32 * DAY;
    const oldOk = addDelivery(c, 'succeeded', old);
    const oldDead = addDelivery(c, 'dead', old, 3);
    const oldPending = addDelivery(c, 'pending', old, 0);
    const oldRetrying = addDelivery(c, 'failed', old);
    const oldInFlight = addDelivery(c, 'delivering', old);
    const recentOk = addDelivery(c, 'succeeded', NOW - 30 * DAY);
    const recentDead = addDelivery(c, 'dead', NOW - DAY);
    // Disabling the webhook does not make its waiting deliveries finished: re-enabling it sends them.
    c.ctx.sqlite.prepare(`update webhooks set active = 0, disabled_reason = 'test' where id = 'wh_1'`).run();
    const before = rollups(c);
    const r = await applyDeliveryRetention(c.ctx, NOW);
    expect(r).toEqual({ deliveries: 2, attempts: 5, deferred: false });
    const kept = [oldPending, oldRetrying, oldInFlight, recentOk, recentDead].sort();
    expect(ids(c)).toEqual(kept);
    expect(attemptsOf(c)).toEqual(kept.filter((id) => id !== oldPending));
    expect(ids(c)).not.toContain(oldOk);
    expect(ids(c)).not.toContain(oldDead);
    // The analytics past 24 h read the hourly rollups, which a delete leaves as they were.
    expect(rollups(c)).toEqual(before);
  });

  it('per-webhook statistics describe the retained deliveries', async () => {
    const { core: c } = await setup();
    addDelivery(c, 'succeeded', NOW - 100 * DAY);
    addDelivery(c, 'dead', NOW - 100 * DAY);
    addDelivery(c, 'succeeded', NOW - DAY);
    const before = (await webhookStats(c.ctx.sqlite, ['wh_1'])).get('wh_1')!;
    expect(before).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    await applyDeliveryRetention(c.ctx, NOW); // default 90 days
    const after = (await webhookStats(c.ctx.sqlite, ['wh_1'])).get('wh_1')!;
    expect(after).toMatchObject({ total: 1, succeeded: 1, failed: 0, successRate: 1 });
    expect(after.lastDeliveryAt).toBe(new Date(NOW - DAY).toISOString());
  });

  it('the 30-day analytics (attempts, rollups, dead letters) read the same after pruning at the shortest retention', async () => {
    const { core: c, clock } = await setup();
    await c.call('settings.set', { key: 'webhooks.retention.days', value: 31 });
    for (const age of [40, 31.5, 29, 10, 0.5]) {
      addDelivery(c, 'dead', NOW - age * DAY);
      addDelivery(c, 'succeeded', NOW - age * DAY);
    }
    clock.t = NOW;
    const read = async () => ({
      d30: await c.call('analytics.webhooks', { window: '30d' }),
      d1: await c.call('analytics.webhooks', { window: '24h' }),
    });
    const before = await read();
    expect(before.d30.totals.deadLetters).toBe(3);
    expect((await applyDeliveryRetention(c.ctx, NOW)).deliveries).toBe(4);
    expect(await read()).toEqual(before);
  });

  it('goes in chunks, and writes nothing while another transaction is open', async () => {
    const { core: c } = await setup();
    for (let i = 0; i < 5; i++) addDelivery(c, 'succeeded', NOW - 100 * DAY);
    const settings = { get: () => Promise.resolve(90) } as unknown as Core['ctx']['settings'];
    let during: unknown = null;
    await c.ctx.db.transaction().execute(async (trx) => {
      await trx.selectFrom('deliveries').select('id').execute();
      during = await applyDeliveryRetention({ ...c.ctx, settings }, NOW, 2);
    });
    expect(during).toEqual({ deliveries: 0, attempts: 0, deferred: true });
    expect(ids(c)).toHaveLength(5);
    expect(await applyDeliveryRetention(c.ctx, NOW, 2)).toEqual({ deliveries: 5, attempts: 10, deferred: false });
  });

  it('the core runs it as a worker on the injected clock', async () => {
    const { core: c, clock } = await setup();
    const keep = addDelivery(c, 'succeeded', NOW - 89 * DAY);
    addDelivery(c, 'succeeded', NOW - 91 * DAY);
    clock.t = NOW;
    const w = c.workers.find((x) => x.name === 'webhooks.retention')!;
    expect(w).toBeDefined();
    await w.start();
    try {
      await vi.waitFor(() => expect(ids(c)).toEqual([keep]));
    } finally {
      await w.stop();
    }
  });

  it('the setting cannot go below the longest analytics window', async () => {
    const { core: c } = await setup();
    await expect(c.call('settings.set', { key: 'webhooks.retention.days', value: 30 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
