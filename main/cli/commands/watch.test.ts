import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type DossierCore } from '../../core/core.ts';
import { tempDir } from '../../core/testing/temp-core.ts';
import { runDossier, type CliResult } from '../../core/testing/cli.ts';
import { startSiteFixture, type SiteFixture } from '../../core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../../core/testing/fixtures/sites-manifest.ts';
import { closeHttpAgents } from '../../core/tools/http.ts';

/**
 * `dossier watch`, `site check|health` and `verdict` as subprocesses on one
 * data directory, against the local site fixture. The test process holds a
 * core on the same directory to set things up and to read what each command
 * left behind (no workers run in it, so it never starts anything itself).
 * Every run is a foreground `watch run`: nothing waits on the clock.
 */

let dataDir: string;
let fx: SiteFixture;
let core: DossierCore;
let inv: string;

const dossier = (args: string[]): Promise<CliResult> => runDossier(dataDir, args);
async function json<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await dossier(['--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'], delayMs: 0 });
  dataDir = tempDir('dossier-cli-watch-');
  core = await createCore({ dataDir, mode: 'cli' });
  writeFileSync(join(dataDir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxStatus', 'FxGone'])));
  inv = (await core.call('investigations.create', { name: 'cli watch' })).id;
});
afterAll(async () => {
  await core.close();
  await closeHttpAgents();
  await fx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each command is a fresh process; the commands are few and the timeout generous for a loaded machine.
describe('dossier watch / site / verdict', { timeout: 600_000 }, () => {
  it('adds, runs (baseline, then a diff), shows, diffs, edits, pauses, resumes, lists and deletes a watch', async () => {
    const w = await json<{ id: string; name: string; status: string; schedule: { every: string; timezone: string } }>([
      'watch',
      'add',
      '--investigation',
      inv,
      '--tool',
      'username.sites',
      '--input',
      'alice',
      '--every',
      '6h',
      '--tz',
      'Europe/Berlin',
      '--name',
      'alice',
    ]);
    expect(w).toMatchObject({ name: 'alice', status: 'active', schedule: { every: 'every 6h', timezone: 'Europe/Berlin' } });

    const first = await json(['watch', 'run', w.id]);
    expect(first).toMatchObject({ run: { seq: 1, status: 'completed', baseline: true, trigger: 'manual' }, counts: { new: 2, vanished: 0, changed: 0 } });

    // alice leaves FxGone: the human diff says so.
    fx.routeClaims.set('gone', new Set());
    const second = await dossier(['watch', 'run', w.id]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('run 2 of "alice" (completed): 0 new, 1 vanished, 0 changed');
    expect(second.stdout).toContain(`- account ${fx.url}/gone/alice`);

    const shown = await json<{ recentRuns: { id: string; seq: number }[] }>(['watch', 'show', w.id]);
    expect(shown.recentRuns.map((r) => r.seq)).toEqual([2, 1]);
    const diff = await json(['watch', 'diff', shown.recentRuns[0]!.id, '--change', 'vanished']);
    expect(diff).toMatchObject({ total: 1, counts: { vanished: 1 }, items: [{ change: 'vanished', type: 'account', value: `${fx.url}/gone/alice` }] });

    const edited = await json(['watch', 'edit', w.id, '--name', 'alice weekdays', '--cron', '0 9 * * 1-5']);
    // The time zone stays when only the cron changes.
    expect(edited).toMatchObject({ name: 'alice weekdays', schedule: { every: null, cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' } });
    expect(await json(['watch', 'pause', w.id])).toMatchObject({ status: 'paused', nextRunAt: null });
    const resumed = await json<{ status: string; nextRunAt: string | null }>(['watch', 'resume', w.id]);
    expect(resumed.status).toBe('active');
    expect(resumed.nextRunAt).not.toBeNull();

    const list = await dossier(['watch', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/alice weekdays\s+cron "0 9 \* \* 1-5" \(Europe\/Berlin\)\s+active/);

    expect(await json(['watch', 'delete', w.id])).toMatchObject({ id: w.id, deleted: true, cancelledBatchId: null });
    expect((await core.call('watches.list', {})).total).toBe(0);
    // The runs' batches stay.
    expect((await core.call('batches.list', { investigationId: inv })).total).toBe(2);
  });

  it('bad input exits 2 with a clear (typed) message and changes nothing', async () => {
    const w = await core.call('watches.create', {
      investigationId: inv,
      tool: 'username.sites',
      inputs: ['alice'],
      schedule: { every: '6h', timezone: 'UTC' },
      name: 'kept',
    });
    const { entity: account } = await core.call('entities.add', {
      investigationId: inv,
      type: 'account',
      value: `${fx.url}/status/alice`,
      properties: { site: 'FxStatus', username: 'alice' },
    });
    const snapshot = async () => ({
      watches: await core.call('watches.list', {}),
      runs: await core.call('watches.runs', { id: w.id }),
      verdicts: await core.call('verdicts.list', {}),
      checks: await core.ctx.db.selectFrom('site_checks').selectAll().execute(),
      health: await core.ctx.db.selectFrom('site_health').selectAll().execute(),
    });
    const before = await snapshot();
    fx.reset(); // so no site is asked anything below

    const add = ['watch', 'add', '--investigation', inv, '--input', 'alice'];
    const cases: [string[], RegExp][] = [
      [[...add, '--tool', 'username.sites', '--every', '5s'], /interval like "6h"/],
      [[...add, '--tool', 'username.sites', '--every', '30s'], /interval like "6h"/],
      [[...add, '--tool', 'username.sites', '--cron', '61 * * * *'], /^error \(invalid_input\): cron "61 \* \* \* \*"/],
      [[...add, '--tool', 'username.sites', '--cron', '0 9 * * *', '--tz', 'Mars/Olympus'], /not a known time zone/],
      [[...add, '--tool', 'username.sites', '--every', '6h', '--cron', '0 9 * * *'], /give --every or --cron/],
      [[...add, '--tool', 'username.sites', '--template', 'x', '--every', '6h'], /give --tool or --template/],
      [[...add, '--tool', 'no.such.tool', '--every', '6h'], /^error \((invalid_input|not_found)\): .*no\.such\.tool/],
      [[...add, '--tool', 'username.sites', '--every', '6h', '--param', 'bogus=1'], /^error \(invalid_input\): .*bogus/],
      [
        ['watch', 'add', '--investigation', 'inv_nope', '--input', 'alice', '--tool', 'username.sites', '--every', '6h'],
        /^error \(not_found\): investigation inv_nope/,
      ],
      [['watch', 'edit', w.id, '--every', 'every tuesday'], /interval like "6h"/],
      [['watch', 'edit', w.id], /nothing to change/],
      [['watch', 'edit', 'wat_nope', '--name', 'x'], /^error \(not_found\): watch wat_nope/],
      [['watch', 'run', 'wat_nope'], /^error \(not_found\): watch wat_nope/],
      [['watch', 'diff', 'wrn_nope'], /^error \(not_found\): watch run wrn_nope/],
      [['watch', 'diff', 'wrn_nope', '--change', 'gone'], /--change must be one of new, vanished, changed/],
      [['site', 'check', '--sites', 'FxStatus,NoSuchSite'], /^error \(invalid_input\): unknown site: NoSuchSite/],
      [['site', 'check', '--daily', 'maybe'], /--daily must be on or off/],
      [['verdict', 'set', account.id, 'maybe'], /verdict must be one of confirmed, false_positive/],
      [['verdict', 'set', 'ent_nope', 'false_positive'], /^error \(not_found\): entity ent_nope/],
    ];
    // Two at a time: each is a process start; the state is compared once they have all run (none may change it).
    const results: CliResult[] = [];
    for (let i = 0; i < cases.length; i += 2) results.push(...(await Promise.all(cases.slice(i, i + 2).map(([args]) => dossier(args)))));
    cases.forEach(([args, msg], i) => {
      const r = results[i]!;
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr, args.join(' ')).toMatch(msg);
      expect(r.stdout, args.join(' ')).toBe('');
    });
    expect(fx.totalHits()).toBe(0);
    expect(await snapshot()).toEqual(before);
    await core.call('watches.delete', { id: w.id });
  });

  it('site check marks a broken site degraded and clears it, site health lists it, the daily check toggles; verdicts carry across investigations', async () => {
    fx.routeClaims.clear();
    fx.routeClaims.set('status', new Set()); // the known account on FxStatus now answers 404
    const check = await dossier(['site', 'check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('checked 2 sites: 1 ok, 1 degraded, 0 inconclusive');
    expect(check.stdout).toContain('newly degraded: FxStatus');
    const degraded = await json<{ site: string; status: string; reason: string }[]>(['site', 'health', '--degraded']);
    expect(degraded).toHaveLength(1);
    expect(degraded[0]).toMatchObject({ site: 'FxStatus', status: 'degraded' });
    expect(degraded[0]!.reason).toMatch(/known account "alice" not found \(HTTP 404/);
    fx.routeClaims.clear();
    expect(await json(['site', 'check', '--sites', 'FxStatus'])).toMatchObject({ checked: 1, ok: 1, recovered: ['FxStatus'] });
    expect(await json(['site', 'health', '--degraded'])).toEqual([]);

    const on = await json<{ enabled: boolean; watchId: string }>(['site', 'check', '--daily', 'on']);
    expect(on.enabled).toBe(true);
    expect((await core.call('watches.get', { id: on.watchId })).builtin).toBe('site-health');
    expect(await json(['site', 'check', '--daily', 'off'])).toEqual({ enabled: false, watchId: null });
    expect((await core.call('watches.list', {})).items.filter((x) => x.builtin)).toEqual([]);

    // A false positive given in one investigation shows in another for the same site and username.
    const { entity: a } = await core.call('entities.add', {
      investigationId: inv,
      type: 'account',
      value: `${fx.url}/gone/alice`,
      properties: { site: 'FxGone', username: 'alice' },
    });
    const set = await json(['verdict', 'set', a.id, 'false_positive', '--note', 'not her']);
    expect(set).toMatchObject({ verdict: 'false_positive', scope: 'site-username', site: 'FxGone', username: 'alice', note: 'not her' });
    const other = (await core.call('investigations.create', { name: 'cli watch B' })).id;
    const { entity: b } = await core.call('entities.add', {
      investigationId: other,
      type: 'account',
      value: `${fx.url}/gone/alice`,
      properties: { site: 'FxGone', username: '@Alice' },
    });
    const inB = await json<{ appliesTo: string; inherited: boolean; verdict: string }[]>(['verdict', 'list', '--investigation', other]);
    expect(inB).toEqual([expect.objectContaining({ appliesTo: b.id, inherited: true, verdict: 'false_positive' })]);
    const human = await dossier(['verdict', 'list']);
    expect(human.stdout).toMatch(/false_positive\s+FxGone\s+alice/);
    expect(await json(['verdict', 'clear', b.id])).toEqual({ entityId: b.id, cleared: true });
    expect((await core.call('verdicts.list', {})).total).toBe(0);
  });
});
