import { afterEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { accountsTool, ManualClock, type AccountsWorld } from './test-support.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const HOUR = 3_600_000;

async function setup(opts: { start?: string; gate?: { wait: Promise<void> | null; started: number } } = {}) {
  const clock = new ManualClock(Date.parse(opts.start ?? '2026-12-01T00:00:00Z'));
  const world: AccountsWorld = new Map([['alice', new Map([['SiteA', 'h1']])]]);
  const core = await tempCore({ clock });
  cleanups.push(() => core.dispose());
  core.ctx.tools.register(accountsTool(world, opts.gate));
  const inv = (await core.call('investigations.create', { name: 'watched' })).id;
  return { clock, world, core, inv };
}

const runsOf = (c: Core, watchId: string) => c.ctx.db.selectFrom('watch_runs').selectAll().where('watch_id', '=', watchId).orderBy('seq').execute();

/** Let every run started so far finish and be diffed. */
async function settle(c: Core, watchId: string) {
  for (const r of await runsOf(c, watchId)) if (r.batch_id) await c.executor.waitFor(r.batch_id);
  await c.watches.tick();
}

describe('watch scheduler (injected clock)', () => {
  it('runs an interval watch at each due time, as an ordinary batch linked to the watch', async () => {
    const { clock, core, inv } = await setup();
    const w = await core.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['alice'], schedule: { every: '6h' } });
    expect(w.nextRunAt).toBe('2026-12-01T06:00:00.000Z');
    await core.watches.tick();
    expect(await runsOf(core, w.id)).toHaveLength(0);

    clock.set('2026-12-01T06:00:00Z');
    await core.watches.tick();
    await settle(core, w.id);
    let runs = await runsOf(core, w.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', trigger: 'schedule', slot_at: Date.parse('2026-12-01T06:00:00Z'), baseline: 1 });
    const batch = await core.call('batches.get', { id: runs[0]!.batch_id! });
    expect(batch).toMatchObject({ status: 'completed', tool: 'test.accounts', investigationId: inv });
    expect((await core.call('watches.get', { id: w.id })).nextRunAt).toBe('2026-12-01T12:00:00.000Z');

    clock.set('2026-12-01T12:00:05Z');
    await core.watches.tick();
    await settle(core, w.id);
    runs = await runsOf(core, w.id);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(runs[1]).toMatchObject({ baseline: 0, previous_run_id: runs[0]!.id, new_count: 0, vanished_count: 0, changed_count: 0 });
  });

  it('runs a cron watch at its wall-clock time in its time zone across the DST change', async () => {
    const { clock, core, inv } = await setup({ start: '2026-03-07T12:00:00Z' });
    const w = await core.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['alice'], schedule: { cron: '0 9 * * *', timezone: 'America/New_York' } });
    expect(w.nextRunAt).toBe('2026-03-07T14:00:00.000Z');
    clock.set('2026-03-07T14:00:00Z');
    await core.watches.tick();
    await settle(core, w.id);
    // After the clocks went forward, 09:00 New York is 13:00Z.
    expect((await core.call('watches.get', { id: w.id })).nextRunAt).toBe('2026-03-08T13:00:00.000Z');
    clock.set('2026-03-08T12:59:59Z');
    await core.watches.tick();
    expect(await runsOf(core, w.id)).toHaveLength(1);
    clock.set('2026-03-08T13:00:00Z');
    await core.watches.tick();
    await settle(core, w.id);
    expect((await runsOf(core, w.id)).map((r) => new Date(r.slot_at!).toISOString())).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
  });

  it('runs slots missed while no process ran once on the next start, then keeps to the grid', async () => {
    const { clock, core, inv } = await setup();
    const w = await core.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['alice'], schedule: { every: '1h' } });
    const dataDir = core.dataDir;
    await core.close();
    // The laptop was closed for 30 hours: 30 slots passed.
    clock.set('2026-12-02T06:30:00Z');
    const again = await tempCore({ clock, dataDir });
    cleanups.push(() => again.close());
    again.ctx.tools.register(accountsTool(new Map()));
    await again.watches.tick();
    await again.watches.tick();
    await settle(again, w.id);
    const runs = await runsOf(again, w.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'missed', slot_at: Date.parse('2026-12-01T01:00:00Z'), status: 'completed' });
    expect((await again.call('watches.get', { id: w.id })).nextRunAt).toBe('2026-12-02T07:00:00.000Z');
  });

  it('pause stops runs and declines the slots passed meanwhile; resume picks up from now', async () => {
    const { clock, core, inv } = await setup();
    const w = await core.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['alice'], schedule: { every: '1h' } });
    const paused = await core.call('watches.pause', { id: w.id });
    expect(paused).toMatchObject({ status: 'paused', nextRunAt: null });
    clock.set('2026-12-01T05:00:00Z');
    await core.watches.tick();
    expect(await runsOf(core, w.id)).toHaveLength(0);
    const resumed = await core.call('watches.resume', { id: w.id });
    expect(resumed).toMatchObject({ status: 'active', nextRunAt: '2026-12-01T06:00:00.000Z' });
    await core.watches.tick();
    expect(await runsOf(core, w.id)).toHaveLength(0);
    clock.set('2026-12-01T06:00:00Z');
    await core.watches.tick();
    await settle(core, w.id);
    expect(await runsOf(core, w.id)).toHaveLength(1);
  });

  it('deleting a watch mid-run cancels its batch; the run leaves no diff, event or later run', async () => {
    let open!: () => void;
    const gate = { wait: new Promise<void>((r) => (open = r)) as Promise<void> | null, started: 0 };
    const { clock, core, inv } = await setup({ gate });
    const w = await core.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['alice', 'bob'], schedule: { every: '1h' } });
    const run = await core.call('watches.runNow', { id: w.id });
    expect(run).toMatchObject({ status: 'running', trigger: 'manual' });
    await expect(core.call('watches.runNow', { id: w.id })).rejects.toMatchObject({ code: 'busy' });
    const del = await core.call('watches.delete', { id: w.id });
    expect(del.cancelledBatchId).toBe(run.batchId);
    open();
    const summary = await core.executor.waitFor(run.batchId!);
    expect(summary.status).toBe('cancelled');
    clock.advance(5 * HOUR);
    await core.watches.tick();
    expect(await core.ctx.db.selectFrom('watch_runs').selectAll().execute()).toHaveLength(0);
    expect(await core.ctx.db.selectFrom('watch_changes').selectAll().execute()).toHaveLength(0);
    expect(await core.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'watch.changed').execute()).toHaveLength(0);
    await expect(core.call('watches.get', { id: w.id })).rejects.toMatchObject({ code: 'not_found' });
    // The batch is an ordinary batch and stays.
    expect((await core.call('batches.get', { id: run.batchId! })).status).toBe('cancelled');
  });

  it('refuses a watch that could not run, and changes nothing', async () => {
    const { core, inv } = await setup();
    await expect(core.call('watches.create', { investigationId: inv, tool: 'no.such', inputs: ['a'], schedule: { every: '1h' } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.invoke('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['a'], schedule: { every: '1h', cron: '* * * * *' } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['a'], schedule: { cron: '99 * * * *' } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.invoke('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['a'], schedule: { every: '1h', timezone: 'Mars/Olympus' } })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('watches.create', { investigationId: 'inv_missing', tool: 'test.accounts', inputs: ['a'], schedule: { every: '1h' } })).rejects.toMatchObject({ code: 'not_found' });
    expect((await core.call('watches.list', {})).total).toBe(0);
  });
});

describe('two cores on one data directory', () => {
  it('start each due run exactly once, and diff it once', async () => {
    const clock = new ManualClock(Date.parse('2026-12-01T00:00:00Z'));
    const world: AccountsWorld = new Map([['alice', new Map([['SiteA', 'h1']])]]);
    const a = await tempCore({ clock });
    cleanups.push(() => a.dispose());
    const b = await tempCore({ clock, dataDir: a.dataDir });
    cleanups.push(() => b.close());
    a.ctx.tools.register(accountsTool(world));
    b.ctx.tools.register(accountsTool(world));
    const inv = (await a.call('investigations.create', { name: 'shared' })).id;
    const w = await a.call('watches.create', { investigationId: inv, tool: 'test.accounts', inputs: ['alice'], schedule: { every: '1h' } });

    for (let slot = 1; slot <= 3; slot++) {
      clock.set(`2026-12-01T0${slot}:00:00Z`);
      world.get('alice')!.set(`Site${slot}`, `h${slot}`);
      // Both see the slot due at the same moment, several times over.
      await Promise.all([a.watches.tick(), b.watches.tick(), a.watches.tick(), b.watches.tick()]);
      const runs = await runsOf(a, w.id);
      expect(runs).toHaveLength(slot);
      const last = runs[slot - 1]!;
      expect(last.slot_at).toBe(Date.parse(`2026-12-01T0${slot}:00:00Z`));
      await Promise.all([a.executor.waitFor(last.batch_id!), b.executor.waitFor(last.batch_id!)]);
      await Promise.all([a.watches.tick(), b.watches.tick()]);
      await Promise.all([a.watches.finalize(last.id), b.watches.finalize(last.id)]);
    }
    const runs = await runsOf(a, w.id);
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    // Each batch ran its one operation once.
    for (const r of runs) expect(await a.call('batches.get', { id: r.batch_id! })).toMatchObject({ counts: expect.objectContaining({ total: 1, completed: 1 }) });
    // Runs 2 and 3 each found one new account (its link comes with it), diffed once each: one event per run.
    expect(runs.slice(1).map((r) => r.new_count)).toEqual([1, 1]);
    const changes = await a.ctx.db.selectFrom('watch_changes').select(['run_id']).execute();
    expect(changes.filter((c) => c.run_id === runs[2]!.id)).toHaveLength(1);
    expect(await a.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'watch.changed').execute()).toHaveLength(2);
  });
});
