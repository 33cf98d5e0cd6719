import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { tempCore } from '../testing/temp-core.ts';
import { startSiteFixture, type SiteFixture } from '../testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../testing/fixtures/sites-manifest.ts';
import { startReceiver, type TestReceiver } from '../testing/webhook-receiver.ts';
import { closeHttpAgents } from '../tools/http.ts';
import type { WatchRun } from '../../../preload/contract/watches.ts';
import { diffFinds } from './diff.ts';
import type { Find } from './finds.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let fx: SiteFixture;
let rx: TestReceiver;
let core: Core;
let inv: string;
let secret: string;
let webhookId: string;

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: [] });
  rx = await startReceiver();
  core = await tempCore({ webhooks: { resolver: async () => [{ address: '127.0.0.1', family: 4 }], pollMs: 20 } });
  writeFileSync(join(core.dataDir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxStatus', 'FxGone'])));
  inv = (await core.call('investigations.create', { name: 'diff fixture' })).id;
  const wh = await core.call('webhooks.create', { url: rx.url, events: ['watch.changed'], allowPrivateNetwork: true });
  secret = wh.secret;
  webhookId = wh.id;
  await core.startWorkers(['webhooks.dispatcher', 'webhooks.delivery']);
});
afterAll(async () => {
  await core.dispose();
  await closeHttpAgents();
  await rx.close();
  await fx.close();
});

async function runOnce(watchId: string): Promise<WatchRun> {
  const run = await core.call('watches.runNow', { id: watchId });
  await core.executor.waitFor(run.batchId!);
  await core.watches.tick();
  return core.call('watches.runs', { id: watchId, limit: 1 }).then((p) => p.items[0]!);
}

const events = () => core.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'watch.changed').orderBy('seq').execute();

describe('watch diffs on the site fixture', () => {
  it('a username leaving one site for another is 1 new and 1 vanished; a new evidence hash is changed; no change writes no event', async () => {
    fx.routeClaims.set('status', new Set(['alice']));
    fx.routeClaims.set('gone', new Set());
    const w = await core.call('watches.create', {
      investigationId: inv,
      name: 'alice on sites',
      tool: 'username.sites',
      inputs: ['alice'],
      params: { sites: 'FxStatus,FxGone' },
      schedule: { every: '6h' },
    });

    const first = await runOnce(w.id);
    expect(first).toMatchObject({ status: 'completed', baseline: true, counts: { new: 1, vanished: 0, changed: 0 } });
    expect(await events()).toHaveLength(0); // a baseline is not a change

    // alice leaves FxStatus and appears on FxGone.
    fx.routeClaims.set('status', new Set());
    fx.routeClaims.set('gone', new Set(['alice']));
    const second = await runOnce(w.id);
    expect(second).toMatchObject({ status: 'completed', baseline: false, previousRunId: first.id, counts: { new: 1, vanished: 1, changed: 0 } });
    const diff = await core.call('watches.diff', { runId: second.id });
    expect(diff.items.map((c) => [c.change, c.kind, c.type, c.value])).toEqual([
      ['new', 'entity', 'account', `${fx.url}/gone/alice`],
      ['vanished', 'entity', 'account', `${fx.url}/status/alice`],
    ]);
    expect(diff.items[0]!.entityId).toBeTruthy();

    // Same sites, but the profile page changed: a new evidence hash.
    fx.profileExtra = '<p>Now in Lisbon</p>';
    const third = await runOnce(w.id);
    expect(third.counts).toEqual({ new: 0, vanished: 0, changed: 1 });
    const changed = (await core.call('watches.diff', { runId: third.id })).items;
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ change: 'changed', type: 'account', value: `${fx.url}/gone/alice`, fields: ['evidence'] });
    expect(changed[0]!.before!.evidenceHash).not.toBe(changed[0]!.after!.evidenceHash);

    // Nothing changed: no event, nothing stored.
    const fourth = await runOnce(w.id);
    expect(fourth.counts).toEqual({ new: 0, vanished: 0, changed: 0 });
    expect((await core.call('watches.diff', { runId: fourth.id })).total).toBe(0);

    const evs = await events();
    expect(evs).toHaveLength(2);
    expect((await core.call('watches.get', { id: w.id })).lastChangeCounts).toEqual({ new: 0, vanished: 0, changed: 1 });

    // The two events reach the webhook signed; independent Standard Webhooks code verifies them.
    const got = await rx.waitFor(2);
    const bodies = got.map((g) => new StandardWebhook(secret).verify(g.body, g.headers as Record<string, string>) as { id: string; event: string; webhook_id: string; data: Record<string, unknown> });
    expect(bodies.map((b) => b.event)).toEqual(['watch.changed', 'watch.changed']);
    expect(bodies.map((b) => b.id).sort()).toEqual(evs.map((e) => e.id).sort());
    const byRun = new Map(bodies.map((b) => [(b.data.run as { id: string }).id, b]));
    const d2 = byRun.get(second.id)!;
    expect(d2.webhook_id).toBe(webhookId);
    expect(d2.data).toMatchObject({
      watch: { id: w.id, name: 'alice on sites', investigationId: inv },
      run: { id: second.id, seq: 2, batchId: second.batchId, previousRunId: first.id },
      counts: { new: 1, vanished: 1, changed: 0 },
      truncated: false,
    });
    expect((d2.data.changes as { change: string }[]).map((c) => c.change)).toEqual(['new', 'vanished']);
  });

});

describe('diffFinds', () => {
  const find = (site: string, sha: string, op = 'username.sites|username|alice'): Find => ({
    key: `e|account|https://${site}/alice`,
    kind: 'entity',
    type: 'account',
    value: `https://${site}/alice`,
    entityId: null,
    propsHash: 'p',
    evidenceHash: sha,
    opKey: op,
    site,
    username: 'alice',
  });

  it('does not call a find vanished when the lookup that found it did not complete this time', () => {
    const before = [find('a.example', 'h1'), find('b.example', 'h2', 'username.sites|username|bob')];
    // Only alice's lookup completed this run; bob's failed.
    const changes = diffFinds(before, [], new Set(['username.sites|username|alice']));
    expect(changes.map((c) => [c.change, c.find.site])).toEqual([['vanished', 'a.example']]);
  });

  it('ignores a missing evidence hash but reports changed properties', () => {
    const a = find('a.example', 'h1');
    expect(diffFinds([a], [{ ...a, evidenceHash: null }], new Set([a.opKey]))).toEqual([]);
    expect(diffFinds([a], [{ ...a, propsHash: 'q' }], new Set([a.opKey])).map((c) => c.fields)).toEqual([['properties']]);
  });
});
