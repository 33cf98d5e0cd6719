import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, shot } from './support/serve.ts';
import { ToolsPage } from './pages/tools.page.ts';
import { startSiteFixture, type SiteFixture } from '../main/core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../main/core/testing/fixtures/sites-manifest.ts';

let fx: SiteFixture;
let dir: string;
test.beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'] });
  dir = mkdtempSync(join(tmpdir(), 'dossier-e2e-tools-'));
});
test.afterAll(async () => {
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

test('import a site manifest, run username.sites from the investigation header, and see the accounts in the entity table', async ({ page, app }) => {
  const tools = new ToolsPage(page, app);
  await tools.goto();
  await expect(page.getByRole('table', { name: 'Tools' }).getByRole('row')).toHaveCount(10);
  await expect(page.getByRole('row', { name: /Username on sites/ })).toContainText('username');
  await shot(page, 'tools-list');

  await page.getByRole('tab', { name: 'Site manifest' }).click();
  await expect(page.getByLabel('Manifest summary')).toContainText('bundled manifest');
  const file = join(dir, 'fixture-sites.json');
  writeFileSync(file, JSON.stringify(fixtureManifest(fx.url)));
  await tools.importManifest(file, 'Dossier');
  await expect(page.getByRole('alert').filter({ hasText: 'Imported 14 of 14 dossier entries' })).toContainText('now has 14 sites');
  await expect(page.getByLabel('Manifest summary')).toContainText('imported manifest');
  await expect(page.getByRole('table', { name: 'Sites' })).toContainText('FxRedirect');
  await shot(page, 'tools-sites');

  // A broken file is refused with a reason, and the manifest stays.
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"hello": 1}');
  await tools.importManifest(bad);
  await expect(page.getByRole('alert', { name: 'Import refused' })).toContainText('not a Dossier site manifest');
  await expect(page.getByLabel('Manifest summary')).toContainText('14 enabled sites');

  const inv = (await app.cli(['investigation', 'create', 'Case Kestrel'])) as { id: string };
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Investigations' }).click();
  await page.getByRole('link', { name: 'Case Kestrel' }).click();
  await expect(page.getByRole('heading', { name: 'Case Kestrel' })).toBeVisible();
  void inv;
  await tools.runFromHeader({ type: 'username', value: 'alice', tool: 'username.sites', params: { Sites: 'FxStatus,FxRedirect,FxWaf,FxMessage' } });
  const result = tools.runDialog.getByLabel('Run result');
  await expect(result).toContainText('claimed on 3 of 4 sites (waf 1)');
  await expect(tools.runDialog.getByRole('table', { name: 'Found entities' }).getByRole('row')).toHaveCount(4);
  await expect(tools.runDialog.getByRole('table', { name: 'Site results' })).toContainText('waf');
  await shot(page, 'tools-run-dialog');
  await tools.runDialog.getByRole('button', { name: 'Done' }).click();

  await expect(page.getByText(`${fx.url}/status/alice`)).toBeVisible();
  await expect(page.getByText(`${fx.url}/message/alice`)).toBeVisible();
  await shot(page, 'tools-entities-after-run');

  // The run is listed with the investigation, and opens with its per-site statuses.
  await page.getByRole('tab', { name: 'Tool runs' }).click();
  await page.getByRole('row', { name: 'Run username.sites on alice' }).click();
  const drawer = page.getByRole('dialog', { name: 'Tool run' });
  await expect(drawer.getByRole('table', { name: 'Site results' })).toContainText('FxRedirect');
  await page.waitForTimeout(400); // let the drawer finish sliding in before the screenshot
  await shot(page, 'tools-run-drawer');
  await drawer.getByRole('button', { name: 'Close' }).click();

  // Bad input is refused in the dialog and nothing is written.
  await tools.runFromHeader({ type: 'username', value: 'has space', tool: 'username.sites' });
  await expect(tools.runDialog.getByRole('alert')).toContainText('not a username');
  await tools.runDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('table', { name: 'Tool runs' }).getByRole('row')).toHaveCount(2);
});

test('credentials: set one, see only its name, delete it', async ({ page, app }) => {
  const tools = new ToolsPage(page, app);
  await tools.goto('Credentials');
  await expect(page.getByText('No credentials yet')).toBeVisible();
  const secret = 'sk_e2e_' + Date.now();
  await page.getByRole('textbox', { name: 'Name' }).fill('shodan');
  await page.getByLabel('Secret').fill(secret);
  await page.getByRole('textbox', { name: 'Description' }).fill('Shodan API');
  await page.getByRole('button', { name: 'Save credential' }).click();
  const table = page.getByRole('table', { name: 'Credentials' });
  await expect(table).toContainText('shodan');
  await expect(page.getByLabel('Secret')).toHaveValue('');
  expect(await page.content()).not.toContain(secret);
  await shot(page, 'tools-credentials');
  await page.getByRole('button', { name: 'Delete shodan' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No credentials yet')).toBeVisible();
});
