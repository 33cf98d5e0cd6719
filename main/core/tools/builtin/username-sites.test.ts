import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCore } from '../../testing/temp-core.ts';
import { startSiteFixture, type SiteFixture } from '../../testing/fixtures/site-fixture.ts';
import { fixtureManifest, fixtureSites } from '../../testing/fixtures/sites-manifest.ts';
import { runTool } from '../run.ts';
import { invokeTool, isAbort } from '../invoke.ts';
import { ToolError, OPEN_GATE } from '../types.ts';
import { makeToolContext } from '../context.ts';
import { closeHttpAgents } from '../http.ts';
import { DIRECT } from '../../egress/egress.ts';

let fx: SiteFixture;
let core: Awaited<ReturnType<typeof tempCore>>;
let inv: string;

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'], delayMs: 20, retryAfterSeconds: 7 });
  core = await tempCore();
  writeFileSync(join(core.dataDir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url)));
});
afterAll(async () => {
  await core.dispose();
  await closeHttpAgents();
  await fx.close();
});
beforeEach(async () => {
  inv = (await core.call('investigations.create', { name: 'usernames' })).id;
  fx.reset();
});

type SiteRow = { site: string; status: string; sha256: string | null; retryAfterMs: number | null; finalUrl: string | null };

describe('username.sites on the site fixture', () => {
  it('reports every detection kind right for a claimed username and stores evidence matching the served bytes', async () => {
    const run = await runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' } });
    expect(run.status).toBe('succeeded');
    const rows = (run.output as { sites: SiteRow[] }).sites;
    const got = Object.fromEntries(rows.map((r) => [r.site, r.status]));
    const want = Object.fromEntries(fixtureSites(fx.url).map((s) => [s.name, s.expect.claimed]));
    expect(got).toEqual(want);

    const claimedSites = Object.entries(want).filter(([, s]) => s === 'claimed').map(([n]) => n);
    expect(run.entities.map((e) => e.properties.site).sort()).toEqual(claimedSites.sort());
    expect(run.summary).toContain(`claimed on ${claimedSites.length} of ${rows.length} sites`);
    for (const e of run.entities) {
      expect(e.type).toBe('account');
      expect(e.sourceRunId).toBe(run.id);
      const path = new URL(e.evidence!.finalUrl!).pathname;
      const served = fx.served.get(path) ?? fx.served.get(path + new URL(e.evidence!.finalUrl!).search);
      expect(served, `served bytes for ${path}`).toBeDefined();
      expect(e.evidence!.sha256).toBe(createHash('sha256').update(served!).digest('hex'));
      expect(e.evidence!.httpStatus).toBe(200);
    }
    // The username entity exists and links to each account.
    const links = await core.call('links.list', { investigationId: inv });
    expect(links.items.filter((l) => l.type === 'has_account')).toHaveLength(claimedSites.length);
    const usernames = await core.call('entities.list', { investigationId: inv, type: 'username' });
    expect(usernames.items.map((u) => u.value)).toEqual(['alice']);
  });

  it('reports a free username available, the redirect case included, with no entities', async () => {
    const run = await runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'nobody-here' } });
    const rows = (run.output as { sites: SiteRow[] }).sites;
    const got = Object.fromEntries(rows.map((r) => [r.site, r.status]));
    const want = Object.fromEntries(fixtureSites(fx.url).map((s) => [s.name, s.expect.free]));
    expect(got).toEqual(want);
    const redirect = rows.find((r) => r.site === 'FxRedirect')!;
    expect(redirect.status).toBe('available');
    // Redirects are not followed: the fixture's "not found" page was never requested.
    expect(fx.hits.notfound ?? 0).toBe(0);
    expect(run.entities).toHaveLength(0);
    expect(rows.find((r) => r.site === 'FxRateLimit')!.retryAfterMs).toBe(7000);
  });

  it('limits the run to the sites named by sites=A,B and rejects unknown names before writing', async () => {
    const run = await runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' }, params: { sites: 'FxStatus,fxmessage' } });
    expect((run.output as { sites: SiteRow[] }).sites.map((r) => r.site)).toEqual(['FxStatus', 'FxMessage']);
    expect(fx.totalHits()).toBe(2);
    const before = await core.ctx.db.selectFrom('tool_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(
      runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' }, params: { sites: 'Nope' } }),
    ).resolves.toMatchObject({ status: 'failed', errorKind: 'permanent', error: expect.stringContaining('unknown site: Nope') });
    const after = await core.ctx.db.selectFrom('tool_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });

  it('refuses a bad username as invalid input and writes nothing', async () => {
    await expect(runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'has space' } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'email', value: 'a@b.c' } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(fx.totalHits()).toBe(0);
    const runs = await core.call('toolRuns.list', { investigationId: inv });
    expect(runs.total).toBe(0);
    expect((await core.call('entities.list', { investigationId: inv })).total).toBe(0);
  });

  it('classifies a single-site 429 as transient with Retry-After, and a refused connection as transient', async () => {
    const run = await runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' }, params: { sites: 'FxRateLimit' } });
    expect(run).toMatchObject({ status: 'failed', errorKind: 'transient' });
    expect(run.output).toMatchObject({ httpStatus: 429, retryAfterMs: 7000 });

    const def = core.ctx.tools.get('username.sites');
    const ctrl = new AbortController();
    const tctx = makeToolContext(core.ctx, { investigationId: inv, runId: 'run_x', signal: ctrl.signal, gate: OPEN_GATE, egress: DIRECT });
    const err = await invokeTool(def, { type: 'username', value: 'alice' }, { sites: 'FxError' }, tctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).kind).toBe('transient');
    expect((err as ToolError).httpStatus).toBe(503);
  });

  it('aborts in-flight checks when the signal fires', async () => {
    fx.delayMs = 2000;
    try {
      const ctrl = new AbortController();
      const def = core.ctx.tools.get('username.sites');
      const tctx = makeToolContext(core.ctx, { investigationId: inv, runId: 'run_y', signal: ctrl.signal, egress: DIRECT });
      const p = invokeTool(def, { type: 'username', value: 'alice' }, { sites: 'FxSlow' }, tctx);
      setTimeout(() => ctrl.abort(), 50);
      const err = await p.catch((e: unknown) => e);
      expect(isAbort(err)).toBe(true);
      // The run recorded through runTool says cancelled.
      const ctrl2 = new AbortController();
      const p2 = runTool(core.ctx, { investigationId: inv, tool: 'username.sites', input: { type: 'username', value: 'alice' }, params: { sites: 'FxSlow' }, signal: ctrl2.signal });
      setTimeout(() => ctrl2.abort(), 50);
      await expect(p2).resolves.toMatchObject({ status: 'cancelled', errorKind: 'aborted' });
    } finally {
      fx.delayMs = 20;
    }
  });
});
