import { test, expect, shot, type ServedApp } from './support/serve.ts';
import { BatchesPage, choose } from './pages/batches.page.ts';
import { callApi as api } from './support/api.ts';
import { GraphPage } from './pages/graph.page.ts';
import { TemplatesPage } from './pages/templates.page.ts';
import { startSiteFixture, type SiteFixture } from '../main/core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../main/core/testing/fixtures/sites-manifest.ts';
import { createCore } from '../main/core/core.ts';
import { upsertEntity, upsertLink } from '../main/core/entities/store.ts';

// Real batches against a real fixture in a shared CI machine: give each test room.
test.describe.configure({ timeout: 120_000 });

/** Sites the fixture answers for; alice and bob are claimed on each, anyone else is free. */
const SITES = ['FxStatus', 'FxMessage', 'FxStrings'];

let fx: SiteFixture;
test.beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice', 'bob'], delayMs: 30 });
});
test.afterAll(async () => {
  await fx.close();
});

/** Point username.sites at the local fixture: the fixture's manifest imported through the served API. */
async function importFixtureSites(app: ServedApp): Promise<void> {
  await api(app, 'sites.import', { content: JSON.stringify(fixtureManifest(fx.url, SITES)), format: 'dossier' });
}

async function createInvestigation(app: ServedApp, name: string): Promise<string> {
  const inv = (await app.cli(['investigation', 'create', name])) as { id: string };
  return inv.id;
}

test('a batch from a pasted list runs to the end and its finds show up in the graph', async ({ page, app }) => {
  await importFixtureSites(app);
  const invId = await createInvestigation(app, 'Case Nightjar');
  const batches = new BatchesPage(page, app);
  await batches.goto();
  await expect(page.getByText('No batches yet')).toBeVisible();

  await batches.createFromList({ investigation: 'Case Nightjar', tool: 'username.sites', values: ['alice', 'bob', 'zed'], name: 'Nightjar usernames' });
  await expect(page.getByRole('heading', { name: 'Nightjar usernames', level: 2 })).toBeVisible();
  await batches.waitFinished('completed');
  await expect(batches.count('completed')).toHaveText('3');
  await expect(batches.count('failed')).toHaveText('0');
  await expect(page.getByTestId('batch-percent')).toHaveText('100%');
  await expect(batches.operationRow('alice')).toContainText('claimed on 3 of 3 sites');
  await expect(batches.operationRow('zed')).toContainText('claimed on 0 of 3 sites');
  await shot(page, 'batch-page');

  // The status filter asks the core for just those operations.
  await page
    .locator('label')
    .filter({ hasText: /^Failed$/ })
    .click();
  await expect(page.getByText('No failed operations.')).toBeVisible();
  await page.locator('label').filter({ hasText: /^All$/ }).first().click();

  // The list shows it finished, with its progress bar full.
  await page.getByRole('link', { name: 'Batches' }).first().click();
  const row = page.getByRole('table', { name: 'Batches' }).getByRole('row').filter({ hasText: 'Nightjar usernames' });
  await expect(row.locator('[data-status="completed"]')).toBeVisible();
  await expect(row.getByRole('progressbar', { name: 'Batch progress' })).toHaveAttribute('aria-valuenow', '3');
  await shot(page, 'batch-list');

  // Open the graph from the batch page: two usernames, each with an account on the three sites.
  await row.getByRole('link', { name: 'Nightjar usernames' }).click();
  await page.getByRole('button', { name: 'Open graph' }).click();
  const graph = new GraphPage(page, app);
  await graph.ready();
  await expect(graph.counts).toHaveText('8 entities · 6 links');
  await expect(graph.legendEntry('account')).toContainText('6');
  await expect(graph.legendEntry('username')).toContainText('2');
  expect(page.url()).toContain(`/investigations/${invId}/graph`);

  // Details of a found account: provenance and evidence from the fixture's answer.
  await graph.find('FxStatus: alice');
  await expect(graph.details.getByRole('heading', { name: 'FxStatus: alice' })).toBeVisible();
  await expect(graph.details.getByText('username.sites').first()).toBeVisible();
  await expect(graph.details.getByRole('row', { name: /HTTP status 200/ })).toBeVisible();
  await expect(graph.details.getByRole('row', { name: /SHA-256 [0-9a-f]{64}/ })).toBeVisible();
  await expect(graph.details.getByLabel('Response excerpt')).toContainText('profile-card');
  await shot(page, 'graph-small');

  // Hiding a type from the legend leaves the count alone but marks the toggle.
  await graph.legendEntry('account').click();
  await expect(graph.legendEntry('account')).toHaveAttribute('aria-pressed', 'false');
  await graph.legendEntry('account').click();
  await expect(graph.legendEntry('account')).toHaveAttribute('aria-pressed', 'true');

  // Someone adds a username elsewhere: it appears live, without a reload.
  fx.claimed.add('carol');
  await api(app, 'entities.add', { investigationId: invId, type: 'username', value: 'carol' });
  await expect(graph.counts).toHaveText('9 entities · 6 links');

  // Run a tool on it from its context menu; its accounts join the graph.
  await graph.find('carol', /^carol · username$/);
  let menu = await graph.contextMenuAtCentre();
  await shot(page, 'graph-context-menu');
  await menu.getByRole('menuitem', { name: 'Run tool…' }).click();
  const run = page.getByRole('dialog', { name: 'Run a tool' });
  await expect(run.getByText('On username')).toBeVisible();
  await choose(page, run, 'Tool', /\(username\.sites\)/);
  await run.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(run.getByText('claimed on 3 of 3 sites')).toBeVisible({ timeout: 20_000 });
  await run.getByRole('button', { name: 'Done' }).click();
  await expect(graph.counts).toHaveText('12 entities · 9 links');

  // Shift-drag a box around everything: the panel counts the selection by type and offers a batch over it;
  // a tool only gets the entities of types it takes.
  await page.getByRole('button', { name: 'Fit' }).click();
  await graph.canvas.scrollIntoViewIfNeeded();
  const box = (await graph.canvas.boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 4, box.y + 4);
  await page.mouse.down();
  // The box starts where the drag is recognised, a few pixels in: nudge first, then sweep.
  await page.mouse.move(box.x + 16, box.y + 16, { steps: 2 });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width - 4, box.y + box.height - 4, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  // Where the box starts depends on when the drag is recognised, so count what it caught rather than assume all 12.
  const heading = graph.details.getByRole('heading', { name: /^\d+ entities selected$/ });
  await expect(heading).toBeVisible();
  const n = Number((await heading.textContent())!.split(' ')[0]);
  expect(n).toBeGreaterThanOrEqual(8);
  await graph.details.getByRole('button', { name: 'Run batch over selection…' }).click();
  const many = page.getByRole('dialog', { name: `Batch over ${n} selected entities` });
  await choose(page, many, 'Tool', /\(username\.sites\)/);
  // Only the usernames go to username.sites; the accounts are left out, and the dialog says so.
  await expect(many.getByText(new RegExp(`^[1-3] of ${n} selected entities are of a type username\\.sites takes`))).toBeVisible();
  await many.getByRole('button', { name: 'Cancel' }).click();

  // A batch over a selection: bob's node, from the same menu opened with the keyboard.
  await graph.find('bob', /^bob · username$/);
  menu = await graph.contextMenuByKeyboard();
  await menu.getByRole('menuitem', { name: /Run batch over selection/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Batch over 1 selected entity' });
  await choose(page, dialog, 'Tool', /\(username\.sites\)/);
  await expect(dialog.getByText('All 1 selected entities will be run.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Start batch' }).click();
  await batches.waitFinished('completed');
  await expect(batches.count('completed')).toHaveText('1');
  await expect(batches.operationRow('bob')).toContainText('claimed on 3 of 3 sites');
});

test('a batch from a CSV file runs over the column the user picks', async ({ page, app }) => {
  await importFixtureSites(app);
  await createInvestigation(app, 'Case Kestrel');
  const batches = new BatchesPage(page, app);
  await batches.goto();
  await page.getByRole('button', { name: 'New batch' }).click();
  const d = page.getByRole('dialog', { name: 'New batch' });
  await choose(page, d, 'Investigation', 'Case Kestrel');
  await choose(page, d, 'Tool', /\(username\.sites\)/);
  await d.getByRole('tab', { name: 'TXT / CSV file' }).click();
  await d.locator('input[type="file"]').setInputFiles({
    name: 'targets.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,handle,team\nAlice A.,alice,red\nBob B.,bob,blue\nZed Z.,zed,red\n'),
  });
  // The core reads the header and the first rows; the user picks the column to run over.
  const preview = d.getByRole('table', { name: 'File preview' });
  await expect(preview.getByRole('columnheader', { name: 'handle' })).toBeVisible();
  await expect(preview).toContainText('Bob B.');
  await choose(page, d, 'Column', /^handle$/);
  await shot(page, 'batch-new-from-file');
  await d.getByRole('button', { name: 'Start batch' }).click();
  await batches.waitFinished('completed');
  await expect(batches.count('completed')).toHaveText('3');
  await expect(batches.operationRow('alice')).toContainText('claimed on 3 of 3 sites');
  await expect(batches.operations).not.toContainText('Alice A.');
});

test('a running batch is paused, resumed, cancelled and deleted from its page', async ({ page, app }) => {
  // One slow site, one operation at a time: slow enough to act on while it runs.
  fx.delayMs = 700;
  await api(app, 'sites.import', { content: JSON.stringify(fixtureManifest(fx.url, ['FxSlow'])), format: 'dossier' });
  await createInvestigation(app, 'Case Wren');
  const batches = new BatchesPage(page, app);
  await batches.goto();
  const names = Array.from({ length: 12 }, (_, i) => `wren${i}`);
  await batches.createFromList({ investigation: 'Case Wren', tool: 'username.sites', values: names, name: 'Slow sweep', maxParallel: 1 });
  await expect(batches.status()).toHaveAttribute('data-status', 'running');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(batches.status()).toHaveAttribute('data-status', 'paused');
  // Paused: what was in flight finishes, nothing new starts.
  await expect(batches.count('running')).toHaveText('0');
  const done = await batches.count('completed').textContent();
  await page.waitForTimeout(1500);
  await expect(batches.count('completed')).toHaveText(done!);
  await shot(page, 'batch-paused');

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(batches.status()).toHaveAttribute('data-status', 'running');
  await expect(batches.count('completed')).not.toHaveText(done!, { timeout: 10_000 });

  // Cancel asks first; the rest are marked cancelled.
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('dialog', { name: 'Cancel this batch?' }).getByRole('button', { name: 'Cancel batch' }).click();
  await batches.waitFinished('cancelled');
  await expect(batches.count('cancelled')).not.toHaveText('0');
  await expect(batches.count('pending')).toHaveText('0');

  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete “Slow sweep”?' }).getByRole('button', { name: 'Delete batch' }).click();
  await expect(page.getByRole('heading', { name: 'Batches', level: 2 })).toBeVisible();
  await expect(page.getByText('No batches yet')).toBeVisible();
  fx.delayMs = 30;
});

test('a template is written, versioned and run from the Templates section', async ({ page, app }) => {
  await importFixtureSites(app);
  await createInvestigation(app, 'Case Heron');
  const templates = new TemplatesPage(page, app);
  await templates.goto();
  await expect(page.getByText('No templates yet')).toBeVisible();

  await page.getByRole('button', { name: 'New template' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill('Username sweep');
  await templates.setStep(1, 'username.sites', '{{username}}');
  await templates.addFollowUp('username', 'username.sites');
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(templates.version).toHaveText('version 1');

  // An edit bumps the version.
  await page.getByRole('textbox', { name: 'Description' }).fill('Every site in the manifest, then the usernames it turns up.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(templates.version).toHaveText('version 2');
  await shot(page, 'template-editor');

  await page.getByRole('link', { name: 'Templates' }).first().click();
  const row = page.getByRole('table', { name: 'Templates' }).getByRole('row').filter({ hasText: 'Username sweep' });
  await expect(row).toContainText('v2');
  await expect(row).toContainText('{{username}}');
  await shot(page, 'templates');

  // Run it: the placeholder is filled from a pasted list.
  await row.getByRole('button', { name: 'Run Username sweep' }).click();
  const d = page.getByRole('dialog', { name: /Run template/ });
  // Started from the Templates list, the template's follow-up depth (1) is the batch's, as from Batches → New batch.
  await expect(d.getByRole('textbox', { name: 'Follow-up depth' })).toHaveValue('1');
  await d
    .getByRole('textbox', { name: 'Investigation' })
    .or(d.getByRole('combobox', { name: 'Investigation' }))
    .first()
    .click();
  await page.getByRole('option', { name: 'Case Heron' }).click();
  await d.getByRole('textbox', { name: 'Inputs' }).fill('alice\nzed');
  await d.getByRole('button', { name: 'Start batch' }).click();
  const batches = new BatchesPage(page, app);
  await batches.waitFinished('completed');
  await expect(page.getByText(/Template\s+Username sweep/)).toBeVisible();
  await expect(batches.count('completed')).toHaveText('2');
});

test('a 5,000-node graph draws, fits and stays interactive', async ({ page, app }) => {
  test.setTimeout(120_000);
  const invId = await createInvestigation(app, 'Case Starling');
  // Bulk rows through the core's entity store on the served data directory (the CLI would take minutes).
  const core = await createCore({ dataDir: app.dataDir, mode: 'test' });
  try {
    await core.ctx.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (let u = 0; u < 400; u++) ids.push((await upsertEntity(trx, invId, { type: 'username', value: `user${u}` })).entity.id);
      for (let i = 0; ids.length < 5000; i++) {
        const u = Math.floor(((i * 7919) % 400) ** 2 / 400);
        const id = (
          await upsertEntity(trx, invId, {
            type: i % 9 === 0 ? 'email' : 'account',
            value: i % 9 === 0 ? `p${i}@mail.example` : `https://site${i % 10}.example/u/${i}`,
            label: i % 9 === 0 ? undefined : `Site${i % 10}`,
          })
        ).entity.id;
        ids.push(id);
        await upsertLink(trx, invId, { sourceId: ids[u]!, targetId: id, type: i % 9 === 0 ? 'has_email' : 'has_account' });
      }
      let seed = 7;
      const rnd = () => Math.floor(((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x80000000) * 5000);
      for (let made = 4600; made < 10_000;) {
        const a = rnd();
        const b = rnd();
        if (a !== b && (await upsertLink(trx, invId, { sourceId: ids[a]!, targetId: ids[b]!, type: 'related' })).created) made++;
      }
    });
  } finally {
    await core.close();
  }

  const graph = new GraphPage(page, app);
  await graph.goto(invId);
  await expect(graph.counts).toHaveText('5,000 entities · 10,000 links');
  await expect(graph.canvas).toHaveAttribute('data-nodes', '5000');
  await shot(page, 'graph-5000');

  // Zoom and pan by mouse, then Fit: the canvas keeps answering.
  await graph.canvas.scrollIntoViewIfNeeded();
  const b = (await graph.canvas.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await page.mouse.wheel(0, -600);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2 + 120, b.y + b.height / 2 + 60, { steps: 4 });
  await page.mouse.up();
  await page.getByRole('button', { name: 'Fit' }).click();
  await graph.find('user0', /^user0 · username$/);
  await expect(graph.details.getByRole('heading', { name: 'user0' })).toBeVisible();
  await shot(page, 'graph-5000-zoomed');

  // Export PNG hands the browser a PNG file named after the investigation.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export PNG' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Case-Starling-graph.png');
  const bytes = await (await file.createReadStream()).toArray();
  expect(Buffer.concat(bytes).subarray(1, 4).toString()).toBe('PNG');
});
