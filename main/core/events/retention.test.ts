import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { applyOutboxRetention, outboxConsumedThrough } from './retention.ts';

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
  return { core, clock };
}

/** One outbox row; returns its seq. */
function addEvent(c: Core, createdAt: number, dispatchedAt: number | null): number {
  const r = c.ctx.sqlite
    .prepare(`insert into outbox (id, type, payload, investigation_id, created_at, dispatched_at) values (?, 'entity.discovered', '{}', null, ?, ?)`)
    .run(`evt_${Math.random().toString(36).slice(2)}`, createdAt, dispatchedAt);
  return Number(r.lastInsertRowid);
}

const seqs = (c: Core) => c.ctx.sqlite.prepare(`select seq from outbox order by seq`).pluck().all() as number[];

function link(c: Core, eventsCursor: number) {
  c.ctx.sqlite
    .prepare(
      `insert into sync_link (id, server, token_sealed, team_id, team_name, member_id, member_name, role, cursor, connected_at, events_cursor)
       values (1, 'http://127.0.0.1:1', 'x', 't', 'T', 'm', 'M', 'member', '0', ?, ?)`,
    )
    .run(NOW, eventsCursor);
}

describe('outbox retention (events.retention.days)', () => {
  it('removes only dispatched rows older than the setting; undispatched ones stay however old', async () => {
    const { core: c } = await setup();
    await c.call('settings.set', { key: 'events.retention.days', value: 7 });
    const oldDone = addEvent(c, NOW - 8 * DAY, NOW - 8 * DAY);
    const oldPending = addEvent(c, NOW - 9 * DAY, null); // the dispatcher has not reached it (e.g. it was stopped)
    const oldDoneAfterPending = addEvent(c, NOW - 8 * DAY, NOW - 8 * DAY);
    const recentDone = addEvent(c, NOW - 6 * DAY, NOW - 6 * DAY);
    const r = await applyOutboxRetention(c.ctx, NOW);
    // Past the first undispatched row nothing goes either: a consumer position is a prefix of the seqs.
    expect(seqs(c)).toEqual([oldPending, oldDoneAfterPending, recentDone]);
    expect(r).toEqual({ deleted: 1, deferred: false });
    expect(oldDone).toBeLessThan(oldPending);
  });

  it('with a team link, never removes a row past the publisher cursor', async () => {
    const { core: c } = await setup();
    const a = addEvent(c, NOW - 40 * DAY, NOW - 40 * DAY);
    const b = addEvent(c, NOW - 40 * DAY, NOW - 40 * DAY);
    const d = addEvent(c, NOW - 40 * DAY, NOW - 40 * DAY);
    link(c, a); // the publisher went through `a` only (offline since)
    expect(outboxConsumedThrough(c.ctx.sqlite)).toBe(a);
    await applyOutboxRetention(c.ctx, NOW);
    expect(seqs(c)).toEqual([b, d]);
    // The next sync moves the cursor past everything: now the rest may go.
    c.ctx.sqlite.prepare(`update sync_link set events_cursor = ?`).run(d);
    await applyOutboxRetention(c.ctx, NOW);
    expect(seqs(c)).toEqual([]);
  });

  it('goes in chunks, and writes nothing while another transaction is open (the rest waits for the next tick)', async () => {
    const { core: c } = await setup();
    for (let i = 0; i < 7; i++) addEvent(c, NOW - 31 * DAY, NOW - 31 * DAY);
    let during: Awaited<ReturnType<typeof applyOutboxRetention>> | null = null;
    // (The settings read goes through Kysely and would wait for the transaction: it is given here.)
    const settings = { get: () => Promise.resolve(30) } as unknown as Core['ctx']['settings'];
    await c.ctx.db.transaction().execute(async (trx) => {
      await trx.selectFrom('outbox').select('seq').execute();
      during = await applyOutboxRetention({ ...c.ctx, settings }, NOW, 3);
    });
    expect(during).toEqual({ deleted: 0, deferred: true });
    expect(seqs(c)).toHaveLength(7);
    expect(await applyOutboxRetention(c.ctx, NOW, 3)).toEqual({ deleted: 7, deferred: false });
  });

  it('the core runs it as a worker on the injected clock', async () => {
    const { core: c, clock } = await setup();
    const keep = addEvent(c, NOW - 29 * DAY, NOW - 29 * DAY);
    addEvent(c, NOW - 31 * DAY, NOW - 31 * DAY);
    clock.t = NOW; // default 30 days
    const w = c.workers.find((x) => x.name === 'events.retention')!;
    expect(w).toBeDefined();
    await w.start();
    try {
      await vi.waitFor(() => expect(seqs(c)).toEqual([keep]));
    } finally {
      await w.stop();
    }
  });

  it('the setting is validated', async () => {
    const { core: c } = await setup();
    await expect(c.call('settings.set', { key: 'events.retention.days', value: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await c.call('settings.get', { key: 'events.retention.days' })).value).toBe(30);
  });
});
