import { test, expect, shot, type ServedApp } from './support/serve.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';
import { EntitiesPage, EntityTable } from './pages/entities.page.ts';
import { callApi } from './support/api.ts';
import { BatchesPage, choose } from './pages/batches.page.ts';
import { startSiteFixture, type SiteFixture } from '../main/core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../main/core/testing/fixtures/sites-manifest.ts';

test.setTimeout(120_000);

// Issue #18 item 5: the core's type check reaches the Value field with its reason; nothing is stored.
test('a hand-added value that is not of its type is refused on the Value field with the reason', async ({ page, app }) => {
  const inv = (await app.cli(['investigation', 'create', 'Type checks'])) as { id: string };
  const list = new InvestigationsPage(page, app);
  await list.goto();
  await list.open('Type checks');
  const ui = new EntitiesPage(page);

  await ui.submitEntity({ type: 'email', value: 'not-an-email' });
  expect(await ui.valueError()).toMatch(/not an email address/);
  await expect(ui.addDialog).toBeVisible();
  await shot(page, 'entities-invalid-email');

  await ui.submitEntity({ type: 'ip', value: '999.1.1.1' });
  expect(await ui.valueError()).toMatch(/not an IP address/);

  await ui.submitEntity({ type: 'url', value: 'example.com/page' });
  expect(await ui.valueError()).toMatch(/not a URL/);
  await shot(page, 'entities-invalid-url');

  await ui.submitEntity({ type: 'email', value: 'seller@example.com' });
  await expect(ui.addDialog).toBeHidden();
  await expect(list.entityRow('seller@example.com')).toBeVisible();

  const stored = (await app.cli(['entity', 'list', '--investigation', inv.id])) as { items: { type: string; value: string }[] };
  expect(stored.items.map((e) => [e.type, e.value])).toEqual([['email', 'seller@example.com']]);
});

/** Sites the fixture answers for; alice and bob are claimed on each. */
const SITES = ['FxStatus', 'FxMessage', 'FxStrings'];
let fx: SiteFixture;
test.beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice', 'bob'], delayMs: 5 });
});
test.afterAll(async () => {
  await fx.close();
});

interface Listed {
  items: { id: string; type: string; value: string; label: string | null; notes: string; properties: Record<string, unknown> }[];
}

async function entities(app: ServedApp, inv: string): Promise<Listed['items']> {
  return ((await app.cli(['entity', 'list', '--investigation', inv, '--limit', '1000'])) as Listed).items;
}

/** An investigation with hand-added entities, opened on its entity table. */
async function openWith(
  page: import('@playwright/test').Page,
  app: ServedApp,
  name: string,
  add: [string, string][],
): Promise<{ inv: string; table: EntityTable }> {
  const inv = ((await app.cli(['investigation', 'create', name])) as { id: string }).id;
  for (const [type, value] of add) await app.cli(['entity', 'add', type, value, '--investigation', inv]);
  const list = new InvestigationsPage(page, app);
  await list.goto();
  await list.open(name);
  const table = new EntityTable(page);
  await expect(table.row(add[0]![1])).toBeVisible();
  return { inv, table };
}

/** username.sites over the values, run to its end by the CLI against the local fixture. */
async function sweep(app: ServedApp, inv: string, name: string, values: string[]): Promise<string> {
  const out = (await app.cli([
    'batch',
    'run',
    '--investigation',
    inv,
    '--tool',
    'username.sites',
    '--name',
    name,
    ...values.flatMap((v) => ['--input', v]),
  ])) as { id: string; status: string };
  expect(out.status).toBe('completed');
  return out.id;
}

// Issue #18 item 2: check rows (one by one, or the whole page), see the count, delete them with one confirmation.
test('checked rows are counted and deleted together after one confirmation that shows the count', async ({ page, app }) => {
  const { inv, table } = await openWith(page, app, 'Bulk delete', [
    ['email', 'a@example.com'],
    ['email', 'b@example.com'],
    ['domain', 'example.org'],
    ['username', 'keeper'],
  ]);
  await table.select('email', 'a@example.com');
  await table.select('domain', 'example.org');
  await expect(table.selectionCount).toHaveText('2 entities selected');
  await table.selectAllOnPage.check();
  await expect(table.selectionCount).toHaveText('4 entities selected');
  await table.table.getByRole('checkbox', { name: 'Select username keeper' }).uncheck();
  await expect(table.selectionCount).toHaveText('3 entities selected');
  await expect(table.selectAllOnPage).toHaveJSProperty('indeterminate', true);
  await shot(page, 'entities-multi-select');

  await table.bulk('Delete…');
  const confirm = await table.modal('Delete 3 entities?');
  await expect(confirm).toContainText('Delete the 3 entities you selected');
  await shot(page, 'entities-bulk-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete 3 entities' }).click();
  await expect(table.row('a@example.com')).toBeHidden();
  await expect(table.selectionBar).toBeHidden();
  await expect(table.row('keeper')).toBeVisible();
  expect((await entities(app, inv)).map((e) => e.value)).toEqual(['keeper']);
});

// Issue #18 item 2: the checked rows start a batch, either as a new batch's list or one tool over them.
test('checked rows prefill a new batch, and "Run tool" starts one batch over them', async ({ page, app }) => {
  await callApi(app, 'sites.import', { content: JSON.stringify(fixtureManifest(fx.url, SITES)), format: 'dossier' });
  const { inv, table } = await openWith(page, app, 'Bulk batch', [
    ['username', 'alice'],
    ['username', 'bob'],
    ['email', 'left@example.com'],
  ]);
  await table.select('username', 'alice');
  await table.select('username', 'bob');
  await table.bulk('Add to batch…');
  const dialog = await table.modal('New batch');
  await expect(dialog.getByRole('textbox', { name: 'Inputs', exact: true })).toHaveValue(/^(alice\nbob|bob\nalice)$/);
  await expect(dialog.getByText('2 distinct values')).toBeVisible();
  await expect(dialog.getByRole('combobox', { name: 'Investigation' })).toHaveValue('Bulk batch');
  await shot(page, 'entities-add-to-batch');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // Mixed types: one tool over the selection runs the values of the types it takes, as one batch.
  await table.select('email', 'left@example.com');
  await table.bulk('Run tool…');
  const run = await table.modal(/Batch over 3 selected entities/);
  await choose(page, run, 'Tool', /\(username\.sites\)/);
  await expect(run).toContainText('2 of 3 selected entities are of a type username.sites takes');
  await shot(page, 'entities-bulk-run-tool');
  await run.getByRole('button', { name: 'Start batch' }).click();
  const batches = new BatchesPage(page, app);
  await batches.waitFinished('completed');
  await expect(batches.count('completed')).toHaveText('2');
  await expect(batches.operationRow('alice')).toContainText('claimed on 3 of 3 sites');
  expect((await entities(app, inv)).filter((e) => e.type === 'account')).toHaveLength(6);
});

// Issue #18 item 2: deleting a batch offers to delete what only it found, with the count, and keeps what another run found.
test('deleting a batch with its finds shows the count first and keeps what another batch also found', async ({ page, app }) => {
  await callApi(app, 'sites.import', { content: JSON.stringify(fixtureManifest(fx.url, SITES)), format: 'dossier' });
  const inv = ((await app.cli(['investigation', 'create', 'Clean-up'])) as { id: string }).id;
  await sweep(app, inv, 'First sweep', ['alice', 'bob']);
  await sweep(app, inv, 'Second sweep', ['bob']);
  expect(await entities(app, inv)).toHaveLength(8);

  const batches = new BatchesPage(page, app);
  await batches.goto();
  await page.getByRole('table', { name: 'Batches' }).getByRole('link', { name: 'First sweep' }).click();
  await expect(page.getByRole('heading', { name: 'First sweep', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const table = new EntityTable(page);
  const dialog = await table.modal('Delete “First sweep”?');
  // alice and her three accounts; bob's were found by the second sweep too.
  const only = dialog.getByRole('checkbox', { name: 'Also delete the 4 entities and 3 links only this batch found' });
  await expect(only).toBeVisible();
  await shot(page, 'entities-batch-delete-count');
  await only.check();
  await dialog.getByRole('button', { name: 'Delete batch and 4 entities' }).click();
  await expect(page.getByRole('heading', { name: 'Batches', level: 2 })).toBeVisible();

  const left = await entities(app, inv);
  expect(left.filter((e) => e.type === 'username').map((e) => e.value)).toEqual(['bob']);
  expect(left.filter((e) => e.type === 'account')).toHaveLength(3);
  expect(left.every((e) => !e.value.includes('alice'))).toBe(true);
  const links = (await callApi(app, 'links.list', { investigationId: inv })) as { total: number };
  expect(links.total).toBe(3);
});

// Issue #18 item 4: a row opens the graph's details panel (provenance, evidence); its menu runs a tool on it.
test('a row opens the details panel with provenance and evidence, and its menu runs a tool with the input filled in', async ({ page, app }) => {
  await callApi(app, 'sites.import', { content: JSON.stringify(fixtureManifest(fx.url, SITES)), format: 'dossier' });
  const inv = ((await app.cli(['investigation', 'create', 'Details'])) as { id: string }).id;
  await sweep(app, inv, 'Alice sweep', ['alice']);
  await app.cli(['entity', 'add', 'email', 'tip@example.com', '--investigation', inv, '--label', 'from a tip']);
  const list = new InvestigationsPage(page, app);
  await list.goto();
  await list.open('Details');
  const table = new EntityTable(page);

  const account = (await entities(app, inv)).find((e) => e.type === 'account')!;
  const details = await table.openDetails(account.value);
  await expect(details.getByRole('region', { name: 'Details' })).toBeVisible();
  await expect(details.getByRole('link', { name: 'Alice sweep' })).toBeVisible(); // provenance: the batch
  await expect(details.getByText('HTTP status')).toBeVisible(); // evidence
  await shot(page, 'entities-row-details');
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(table.details).toBeHidden();

  const hand = await table.openDetails('tip@example.com');
  await expect(hand).toContainText('Added by hand, not found by a tool.');
  await page.getByRole('button', { name: 'Close details' }).click();

  await table.rowAction('username', 'alice', 'Run tool…');
  const run = await table.modal('Run a tool');
  // The dialog runs on the entity itself: its type and value are shown, not typed again.
  await expect(run.getByText('On username')).toBeVisible();
  await expect(run.getByRole('code')).toHaveText('alice');
  await shot(page, 'entities-row-run-tool');
});

// Issue #18 item 4: edit label, notes and properties by hand, and link two entities with a chosen type.
test('an entity is edited and linked by hand from its row, and the details and the store show it', async ({ page, app }) => {
  const { inv, table } = await openWith(page, app, 'Edits', [
    ['username', 'nightjar'],
    ['email', 'nightjar@example.com'],
  ]);
  await table.rowAction('username', 'nightjar', 'Edit…');
  const edit = await table.modal('Edit username “nightjar”');
  await edit.getByRole('textbox', { name: 'Label' }).fill('Main handle');
  await edit.getByRole('textbox', { name: 'Notes' }).fill('Seen on two forums.\nAsk the source about the second one.');
  await edit.getByRole('button', { name: 'Add property' }).click();
  await edit.getByRole('textbox', { name: 'Property 1 name' }).fill('forum');
  await edit.getByRole('textbox', { name: 'Property 1 value' }).fill('forum.example');
  await shot(page, 'entities-edit');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(table.row('nightjar@example.com')).toBeVisible();
  await expect(table.table.getByRole('row').filter({ hasText: 'Main handle' })).toBeVisible();

  // A property without a name is refused on its row; nothing is saved.
  await table.rowAction('username', 'nightjar', 'Edit…');
  const again = await table.modal('Edit username “nightjar”');
  await again.getByRole('button', { name: 'Add property' }).click();
  await again.getByRole('textbox', { name: 'Property 2 value' }).fill('orphan');
  await again.getByRole('button', { name: 'Save' }).click();
  await expect(again.getByText('A property needs a name')).toBeVisible();
  await again.getByRole('button', { name: 'Cancel' }).click();

  await table.rowAction('username', 'nightjar', 'Link to…');
  const link = await table.modal('Link username “nightjar”');
  await link.getByRole('combobox', { name: 'Other entity' }).fill('nightjar@');
  await page.getByRole('option', { name: /nightjar@example\.com · email/ }).click();
  await choose(page, link, 'Link type', 'has email');
  await shot(page, 'entities-link');
  await link.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(link).toBeHidden();

  const details = await table.openDetails('Main handle');
  await expect(details.getByLabel('Notes')).toHaveText('Seen on two forums.\nAsk the source about the second one.');
  await expect(details).toContainText('forum.example');
  await shot(page, 'entities-edited-details');

  const stored = await entities(app, inv);
  const user = stored.find((e) => e.value === 'nightjar')!;
  expect(user).toMatchObject({
    label: 'Main handle',
    notes: 'Seen on two forums.\nAsk the source about the second one.',
    properties: { forum: 'forum.example' },
  });
  const links = (await callApi(app, 'links.list', { investigationId: inv })) as { items: { sourceId: string; targetId: string; type: string }[] };
  expect(links.items).toEqual([expect.objectContaining({ sourceId: user.id, targetId: stored.find((e) => e.type === 'email')!.id, type: 'has_email' })]);
});
