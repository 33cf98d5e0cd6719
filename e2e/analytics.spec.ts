import { test, expect, shot } from './support/serve.ts';
import { AnalyticsPage } from './pages/analytics.page.ts';
import { createCore } from '../main/core/core.ts';
import { rebuildOpRollups } from '../main/core/analytics/rebuild.ts';

test.describe.configure({ timeout: 120_000 });

/** A day of tool runs, failures by code, queue samples, entities and relay verification, written through the core on the served data directory. */
async function seed(dataDir: string): Promise<string> {
  const core = await createCore({ dataDir, mode: 'test' });
  try {
    const inv = (await core.call('investigations.create', { name: 'Case Heron' })).id;
    const { sqlite } = core.ctx;
    const now = Date.now();
    const H = 3_600_000;
    const run = sqlite.prepare(`insert into op_runs (finished_at, investigation_id, batch_id, tool, outcome, code, duration_ms) values (?, ?, 'bat_seed', ?, ?, ?, ?)`);
    const tools = ['username.sites', 'dns.lookup', 'http.probe', 'email.inspect'];
    const codes = ['timeout', 'server_error', 'dns', 'rate_limited'];
    let s = 11;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x80000000);
    sqlite.transaction(() => {
      for (let i = 0; i < 1500; i++) {
        const tool = tools[i % 4]!;
        const failed = rnd() < 0.08 + (tool === 'http.probe' ? 0.1 : 0);
        run.run(now - Math.floor(rnd() * 23 * H), inv, tool, failed ? 'failed' : 'completed', failed ? codes[i % 4]! : '', Math.round((tool === 'username.sites' ? 300 : 40) * (0.5 + rnd() * 2)));
      }
      sqlite.prepare(`insert into batches (id, investigation_id, name, tool, status, options, total, completed, failed, cancelled, created_at, started_at, finished_at, updated_at)
        values ('bat_seed', ?, 'usernames', 'username.sites', 'completed', '{}', 1500, 1400, 100, 0, ?, ?, ?, ?)`).run(inv, now - 20 * H, now - 20 * H, now - 2 * H, now - 2 * H);
      const q = sqlite.prepare(`insert into queue_samples (batch_id, bucket, investigation_id, at, pending, running) values ('bat_seed', ?, ?, ?, ?, ?)`);
      for (let m = 0; m <= 18 * 60; m += 5) {
        const at = now - 20 * H + m * 60_000;
        q.run(at - (at % 60_000), inv, at, Math.max(0, 1500 - Math.round(m * 1.4)), m < 18 * 60 ? 10 : 0);
      }
      const e = sqlite.prepare(`insert into entities (id, investigation_id, type, value, normalized, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?)`);
      const types = ['account', 'account', 'account', 'email', 'domain', 'username', 'url', 'ip'];
      for (let i = 0; i < 240; i++) e.run(`ent_seed_${i}`, inv, types[i % 8]!, `v${i}`, `v${i}`, now - Math.floor(rnd() * 22 * H), now);
      sqlite.prepare(`insert into breaker_trips (at, host, tool, investigation_id) values (?, 'api.example.org', 'http.probe', ?)`).run(now - 3 * H, inv);
      const rr = sqlite.prepare(`insert into relay_requests (endpoint_id, slug, received_at, method, path, headers, size, status, latency_ms, latency_bin, verification, error)
        values ('rep_1', 'gh', ?, 'POST', '/hooks/gh', '[]', 2, ?, 3, 30, ?, ?)`);
      for (let i = 0; i < 120; i++) {
        const bad = i % 6 === 0;
        rr.run(now - Math.floor(rnd() * 23 * H), bad ? 401 : 202, bad ? 'invalid_signature' : 'verified', bad ? 'invalid_signature: no match' : null);
      }
    })();
    rebuildOpRollups(sqlite);
    // Verdicts on account finds (rows as verdicts.set writes them, in one transaction beside the served process):
    // two false positives on one site, a confirmed one on another.
    sqlite.transaction(() => {
      const e = sqlite.prepare(`insert into entities (id, investigation_id, type, value, normalized, properties, first_seen, last_seen) values (?, ?, 'account', ?, ?, ?, ?, ?)`);
      const v = sqlite.prepare(`insert into verdicts (id, key, verdict, site, username, investigation_id, entity_id, note, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, '', ?, ?)`);
      for (const [i, site, username, verdict] of [
        [1, 'GitHub', 'heron', 'false_positive'],
        [2, 'GitHub', 'heron_', 'false_positive'],
        [3, 'Reddit', 'heron', 'confirmed'],
      ] as const) {
        e.run(`ent_acct_${i}`, inv, `${site}:${username}`, `${site}:${username}`.toLowerCase(), JSON.stringify({ site, username }), now - H, now);
        v.run(`vrd_seed_${i}`, `site:${site.toLowerCase()}|${username}`, verdict, site, username, inv, `ent_acct_${i}`, now - H, now - H);
      }
    })();
    const { rebuildRollups } = await import('../main/core/relay/rollups.ts');
    rebuildRollups(sqlite);
    return inv;
  } finally {
    await core.close();
  }
}

test('the Analytics section shows every chart kind over seeded data, and one chart exports CSV and PNG', async ({ page, app }) => {
  await seed(app.dataDir);
  const ui = new AnalyticsPage(page, app);
  await ui.goto();
  // Line (throughput), area (queue depth), bar (errors by code), scatter (latency), radar (tool health), pie (entities by type).
  for (const title of ['Throughput', 'Queue depth', 'Errors by code', 'Operation latency', 'Tool health', 'Entities by type', 'Discoveries over time', 'Verdicts by site', 'Inbound requests by status', 'Verification outcomes']) {
    await expect(ui.chart(title).locator('canvas')).toBeVisible();
  }
  await expect(ui.panel('Tools').getByRole('table', { name: 'Tool latency' })).toContainText('username.sites');
  await expect(ui.panel('Batches').getByRole('group', { name: 'Operations completed' })).toContainText(/\d/);
  await expect(ui.panel('Webhooks')).toContainText('No webhook delivery was attempted in this window.');
  await expect(ui.panel('Entities').getByRole('group', { name: 'False positives' })).toContainText('2');
  await expect(ui.panel('Entities').getByRole('group', { name: 'Confirmed' })).toContainText('1');
  for (const p of ['Batches', 'Tools', 'Entities', 'Webhooks', 'Relay'] as const) await ui.panel(p).screenshot({ path: `e2e/screenshots/analytics-${p.toLowerCase()}.png` });
  await shot(page, 'analytics-all');

  const csv = await ui.export('Errors by code', 'CSV');
  expect(csv.name).toBe('errors-24h.csv');
  const lines = csv.body.toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe('tool,code,count');
  expect(lines.length).toBeGreaterThan(1);
  const png = await ui.export('Errors by code', 'PNG');
  expect(png.name).toBe('errors-24h.png');
  expect(png.body.subarray(1, 4).toString('ascii')).toBe('PNG');

  // The 1h window has nothing of this seeded past day in some panels: empty states, not errors.
  await ui.window('7d');
  await expect(ui.chart('Throughput').locator('canvas')).toBeVisible();
});

test('tool health is also on the Tools section', async ({ page, app }) => {
  await seed(app.dataDir);
  await page.goto(app.url);
  await page.getByRole('link', { name: 'Tools' }).click();
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.getByRole('figure', { name: 'Tool health' }).locator('canvas')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Breaker trips per host' })).toContainText('api.example.org');
  await shot(page, 'tools-health');
});
