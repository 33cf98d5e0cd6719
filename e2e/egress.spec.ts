import { test, expect, shot, type ServedApp } from './support/serve.ts';
import { EgressPage } from './pages/egress.page.ts';
import { BatchesPage, choose } from './pages/batches.page.ts';
import { startHttpProxy, startSocksProxy, type ProxyFixture } from '../main/core/testing/fixtures/proxy-servers.ts';
import { startEgressOrigin, type EgressOrigin } from '../main/core/testing/fixtures/egress-origin.ts';

test.describe.configure({ timeout: 120_000 });

let socks: ProxyFixture;
let http: ProxyFixture;
let origin: EgressOrigin;
/** A port nothing listens on: a proxy that is down. */
let deadPort: number;

test.beforeAll(async () => {
  origin = await startEgressOrigin();
  socks = await startSocksProxy();
  http = await startHttpProxy();
  const dead = await startHttpProxy();
  deadPort = dead.port;
  await dead.close();
});
test.afterAll(async () => {
  await Promise.all([socks.close(), http.close(), origin.close()]);
});
test.beforeEach(() => {
  for (const f of [origin, socks, http]) f.reset();
});

test('settings: set a SOCKS5 egress, run the leak test, see both addresses, and the setting sticks', async ({ page, app }) => {
  const ui = new EgressPage(page, app);
  await ui.goto();
  await ui.choose('SOCKS5');
  await ui.setProxy('127.0.0.1', socks.port);
  await ui.saveEgress();
  expect(((await app.cli(['config', 'get', 'egress.default'])) as { value: unknown }).value).toEqual({ mode: 'socks5', host: '127.0.0.1', port: socks.port });

  await ui.test(`${origin.url}/ip`);
  // The proxy fixture connects out from 127.0.0.2: the echo sees a different address through it.
  await expect(ui.row('direct')).toContainText('127.0.0.1');
  await expect(ui.row('proxied')).toContainText(`Through socks5h://127.0.0.1:${socks.port}`);
  await expect(ui.row('proxied')).toContainText('127.0.0.2');
  await expect(page.getByText('Same address both ways')).toHaveCount(0);
  expect(socks.targets.length).toBe(1);
  await shot(page, 'egress-test');

  // The setting sticks across a reload, and the calls after a test work (a second test, a save).
  await page.reload();
  await expect(ui.panel.getByText(`Saved: socks5h://127.0.0.1:${socks.port}`)).toBeVisible();
  await expect(ui.panel.getByRole('textbox', { name: 'Proxy port' })).toHaveValue(String(socks.port));
  origin.reset();
  await ui.test(`${origin.url}/ip`);
  await expect(ui.row('proxied')).toContainText('127.0.0.2');
  // One request each way (the proxied one may reuse the kept-alive tunnel of the first test).
  expect(origin.requests.map((r) => r.peer).sort()).toEqual(['127.0.0.1', '127.0.0.2']);

  // An HTTP proxy, tested before it is saved.
  await ui.choose('HTTP proxy');
  await ui.setProxy('127.0.0.1', http.port);
  await ui.test(`${origin.url}/ip`);
  await expect(ui.row('proxied')).toContainText(`Through http://127.0.0.1:${http.port}`);
  await expect(ui.row('proxied')).toContainText('127.0.0.2');
  expect(http.targets.length).toBe(1);

  // A proxy that is down: the test says so, and nothing reached the echo through another way.
  origin.reset();
  await ui.choose('SOCKS5');
  await ui.setProxy('127.0.0.1', deadPort);
  await ui.test(`${origin.url}/ip`);
  await expect(ui.row('proxied')).toContainText('ECONNREFUSED');
  await expect(page.getByText('The egress does not work')).toBeVisible();
  expect(origin.requests.map((r) => r.peer)).toEqual(['127.0.0.1']);
  await shot(page, 'egress-test-proxy-down');

  // Direct: the warning that both ways show the same address.
  await ui.choose('Direct');
  await ui.saveEgress();
  await ui.test(`${origin.url}/ip`);
  await expect(page.getByText('Same address both ways')).toBeVisible();
  await expect(ui.panel.getByText('Saved: direct')).toBeVisible();
  await shot(page, 'egress-test-direct');
});

/** Point username.sites at the origin: alice is claimed, anyone else is free. */
async function importOriginSite(app: ServedApp): Promise<void> {
  const res = await fetch(`${new URL(app.url).origin}/api/call/sites.import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
    body: JSON.stringify({
      format: 'dossier',
      content: JSON.stringify({
        format: 'dossier-sites',
        version: 1,
        written: '2026-12-03',
        sites: [{ name: 'EgOrigin', url: `${origin.url}/u/{username}`, detect: { kinds: ['status_code'] }, claimed: 'alice', unclaimed: 'nobody-here' }],
      }),
    }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

test('batches: a batch takes its own egress from the New batch dialog, shown on its page, over the global setting', async ({ page, app }) => {
  await importOriginSite(app);
  await app.cli(['investigation', 'create', 'Case Kestrel']);
  // The global egress is the HTTP proxy; the batch overrides it with SOCKS5.
  await app.cli(['config', 'set', 'egress.default', `http://127.0.0.1:${http.port}`]);

  const batches = new BatchesPage(page, app);
  await batches.goto();
  await page.getByRole('button', { name: 'New batch' }).click();
  const d = page.getByRole('dialog', { name: 'New batch' });
  await choose(page, d, 'Investigation', 'Case Kestrel');
  await choose(page, d, 'Tool', /\(username\.sites\)/);
  await d.getByRole('textbox', { name: 'Inputs' }).fill('alice\nbob');
  await d.getByRole('textbox', { name: 'Name' }).fill('Kestrel via SOCKS');
  const egress = d.getByRole('group', { name: 'Batch egress' });
  await expect(egress.getByText(`now http://127.0.0.1:${http.port}`)).toBeVisible();
  await egress.getByRole('radiogroup', { name: 'Batch egress mode' }).getByText('SOCKS5', { exact: true }).click();
  // Start waits for a complete proxy address.
  await expect(d.getByRole('button', { name: 'Start batch' })).toBeDisabled();
  await egress.getByRole('textbox', { name: 'Proxy host' }).fill('127.0.0.1');
  await egress.getByRole('textbox', { name: 'Proxy port' }).fill(String(socks.port));
  await shot(page, 'egress-new-batch');
  await d.getByRole('button', { name: 'Start batch' }).click();
  await expect(d).toBeHidden();

  await expect(page.getByRole('heading', { name: 'Kestrel via SOCKS', level: 2 })).toBeVisible();
  await expect(page.getByTestId('batch-egress')).toHaveText(`Egress socks5h://127.0.0.1:${socks.port}`);
  await batches.waitFinished('completed');
  await expect(batches.operationRow('alice')).toContainText('claimed on 1 of 1 site');
  // Both checks went through the SOCKS5 server; none through the global HTTP proxy, none direct.
  expect(socks.targets.length).toBeGreaterThanOrEqual(1);
  expect(http.targets.length).toBe(0);
  expect(origin.requestPeers()).toEqual({ '127.0.0.2': 2 });
  await shot(page, 'egress-batch-page');

  // A batch left on "Settings" says so, and goes through the global HTTP proxy.
  origin.reset();
  await batches.goto();
  await batches.createFromList({ investigation: 'Case Kestrel', tool: 'username.sites', values: ['carol', 'dave'], name: 'Kestrel inherited' });
  await expect(page.getByTestId('batch-egress')).toHaveText('Egress from the settings');
  await batches.waitFinished('completed');
  expect(http.targets.length).toBeGreaterThanOrEqual(1);
  expect(origin.requestPeers()).toEqual({ '127.0.0.2': 2 });
});
