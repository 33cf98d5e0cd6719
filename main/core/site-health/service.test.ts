import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCore } from '../testing/temp-core.ts';
import { startSiteFixture, type SiteFixture } from '../testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../testing/fixtures/sites-manifest.ts';
import { closeHttpAgents } from '../tools/http.ts';
import { ManualClock } from '../watches/test-support.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let fx: SiteFixture;
let core: Core;
const clock = new ManualClock(Date.parse('2026-12-01T08:00:00Z'));

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'] });
  core = await tempCore({ clock });
  writeFileSync(join(core.dataDir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxStatus', 'FxMessage', 'FxRedirect', 'FxStrings', 'FxCaptcha'])));
});
afterAll(async () => {
  await core.dispose();
  await closeHttpAgents();
  await fx.close();
});

const degradedEvents = () => core.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'site.degraded').orderBy('seq').execute();
type Row = { site: string; status: string; reason: string; degraded: boolean };
async function lookup(username: string): Promise<Map<string, Row>> {
  const inv = (await core.call('investigations.create', { name: `lookup ${username}` })).id;
  const batch = await core.executor.create({ investigationId: inv, tool: 'username.sites', source: { kind: 'list', values: [username] } }, { runHere: true });
  await core.executor.waitFor(batch.id);
  const ops = await core.call('batches.operations', { batchId: batch.id });
  const out = ops.items[0]!.output as { data: { sites: Row[] } };
  return new Map(out.data.sites.map((r) => [r.site, r]));
}

describe('site health', () => {
  it('passes working sites, marks broken ones degraded with reason and date, reports them unknown, and clears them when they work again', async () => {
    const first = await core.call('sites.check', {});
    expect(first).toMatchObject({ checked: 5, ok: 4, degraded: 0, inconclusive: 1, newlyDegraded: [] });
    expect(first.results.find((r) => r.site === 'FxCaptcha')).toMatchObject({ outcome: 'inconclusive', status: 'unchecked' });

    // The sites change the way real ones break.
    clock.set('2026-12-02T08:00:00Z');
    fx.routeClaims.set('status', new Set()); // the known account now answers 404
    fx.breakage.set('message', 'login-wall'); // a login wall for everyone: the free name looks taken
    fx.breakage.set('redirect', 'home-redirect'); // every profile redirects to the home page
    fx.breakage.set('strings', 'soft-404'); // "not found" served with 200: no profile marker
    const second = await core.call('sites.check', {});
    expect(second.newlyDegraded.sort()).toEqual(['FxMessage', 'FxRedirect', 'FxStatus', 'FxStrings']);
    const health = new Map((await core.call('sites.health', {})).map((h) => [h.site, h]));
    expect(health.get('FxStatus')).toMatchObject({ status: 'degraded', since: '2026-12-02T08:00:00.000Z', lastOutcome: 'degraded' });
    expect(health.get('FxStatus')!.reason).toMatch(/known account "alice" not found \(HTTP 404/);
    expect(health.get('FxMessage')!.reason).toMatch(/free name "nobody-here" reported as found/);
    expect(health.get('FxRedirect')!.reason).toMatch(/known account "alice" not found \(redirected to/);
    expect(health.get('FxStrings')!.reason).toMatch(/known account "alice" not found/);
    expect(health.get('FxCaptcha')).toMatchObject({ status: 'unchecked', lastOutcome: 'inconclusive' });
    const evs = await degradedEvents();
    expect(evs).toHaveLength(4);
    expect(JSON.parse(evs.find((e) => e.payload.includes('"FxStatus"'))!.payload)).toMatchObject({
      site: { name: 'FxStatus' },
      since: '2026-12-02T08:00:00.000Z',
      check: { claimed: { username: 'alice', status: 'available' }, free: { username: 'nobody-here', status: 'available' } },
    });

    // A batch now reports the degraded sites as unknown with the reason, without asking them.
    fx.reset();
    const rows = await lookup('alice');
    expect(rows.get('FxStatus')).toMatchObject({ status: 'unknown', degraded: true });
    expect(rows.get('FxStatus')!.reason).toMatch(/^site degraded since 2026-12-02: known account "alice" not found/);
    expect(fx.hits.status ?? 0).toBe(0);

    // Still broken the next day: still degraded since the first day, no second event.
    clock.set('2026-12-03T08:00:00Z');
    await core.call('sites.check', { sites: ['FxStatus'] });
    expect((await core.call('sites.health', { sites: ['FxStatus'] }))[0]).toMatchObject({ status: 'degraded', since: '2026-12-02T08:00:00.000Z', lastCheckedAt: '2026-12-03T08:00:00.000Z' });
    expect(await degradedEvents()).toHaveLength(4);

    // Fixed: a passing check clears it, and finds there count again.
    fx.routeClaims.delete('status');
    clock.set('2026-12-04T08:00:00Z');
    const fixed = await core.call('sites.check', { sites: ['FxStatus'] });
    expect(fixed.recovered).toEqual(['FxStatus']);
    expect((await core.call('sites.health', { sites: ['FxStatus'] }))[0]).toMatchObject({ status: 'ok', reason: null, since: '2026-12-04T08:00:00.000Z' });
    const after = await lookup('alice');
    expect(after.get('FxStatus')).toMatchObject({ status: 'claimed', degraded: false });

    const history = await core.call('sites.history', { site: 'FxStatus' });
    expect(history.map((h) => h.outcome)).toEqual(['ok', 'degraded', 'degraded', 'ok']);
    await expect(core.call('sites.history', { site: 'NoSuchSite' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('sites.check', { sites: ['NoSuchSite'] })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('the built-in daily watch runs the check once a day', async () => {
    fx.breakage.clear();
    fx.routeClaims.clear();
    clock.set('2026-12-04T08:00:00Z');
    const on = await core.call('sites.dailyCheck', { enabled: true });
    expect((await core.call('sites.dailyCheck', { enabled: true })).watchId).toBe(on.watchId);
    const checksBefore = (await core.ctx.db.selectFrom('site_checks').selectAll().execute()).length;
    await core.watches.tick();
    const w = await core.call('watches.get', { id: on.watchId! });
    expect(w).toMatchObject({ builtin: 'site-health', runs: 1, nextRunAt: '2026-12-05T08:00:00.000Z' });
    expect((await core.ctx.db.selectFrom('site_checks').selectAll().execute()).length).toBe(checksBefore + 5);
    await core.watches.tick();
    expect((await core.call('watches.get', { id: on.watchId! })).runs).toBe(1);
    expect(await core.call('sites.dailyCheck', { enabled: false })).toEqual({ enabled: false, watchId: null });
    await expect(core.call('watches.get', { id: on.watchId! })).rejects.toMatchObject({ code: 'not_found' });
  });
});
