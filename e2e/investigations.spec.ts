import { test, expect, shot } from './support/serve.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';

test('create, reload, open, add an entity, archive, filter, delete', async ({ page, app }) => {
  const ui = new InvestigationsPage(page, app);
  await ui.goto();
  await expect(page.getByText('No investigations yet')).toBeVisible();
  await shot(page, 'investigations-empty');

  await ui.create({ name: 'Operation Nightjar', description: 'Phishing kit sold on a forum; track the seller.', tags: ['fraud', 'phishing'] });
  // Creating opens the new investigation; go back to see it in the list.
  await expect(page.getByRole('heading', { name: 'Operation Nightjar', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: 'Investigations' }).first().click();
  await ui.create({ name: 'Sockpuppet ring' });
  await page.getByRole('link', { name: 'Investigations' }).first().click();

  await expect(ui.row('Operation Nightjar')).toBeVisible();
  await expect(ui.row('Operation Nightjar')).toContainText('fraud');
  await expect(ui.row('Sockpuppet ring')).toBeVisible();
  await shot(page, 'investigations-list');

  // The data is in SQLite, not in the page: it survives a reload.
  await page.reload();
  await expect(ui.row('Operation Nightjar')).toBeVisible();
  await expect(ui.row('Sockpuppet ring')).toBeVisible();

  await ui.search('nightjar');
  await expect(ui.row('Sockpuppet ring')).toBeHidden();
  await expect(ui.row('Operation Nightjar')).toBeVisible();
  await ui.search('');

  await ui.open('Operation Nightjar');
  await expect(page.getByText('Phishing kit sold on a forum; track the seller.')).toBeVisible();
  await expect(page.getByText('No entities yet')).toBeVisible();

  await ui.addEntity({ type: 'email', value: ' Seller@Example.COM ', label: 'forum contact' });
  await expect(ui.entityRow('Seller@Example.COM')).toContainText('forum contact');
  await expect(ui.entityRow('Seller@Example.COM')).toContainText('email');
  await ui.addEntity({ type: 'username', value: 'nightjar_seller' });
  await expect(ui.entityRow('nightjar_seller')).toBeVisible();
  await expect(page.getByText('2 entities')).toBeVisible();
  // What the UI shows is what the core stored.
  const stored = (await app.cli(['entity', 'list', '--investigation', page.url().split('/investigations/')[1]!.split('/')[0]!])) as {
    items: { type: string; normalized: string; label: string | null }[];
  };
  expect(stored.items.map((e) => [e.type, e.normalized, e.label]).sort()).toEqual([
    ['email', 'seller@example.com', 'forum contact'],
    ['username', 'nightjar_seller', null],
  ]);
  await shot(page, 'investigation-page');

  await ui.archive();
  await page.getByRole('link', { name: 'Investigations' }).first().click();
  // Archived investigations leave the default (active) view…
  await expect(ui.row('Sockpuppet ring')).toBeVisible();
  await expect(ui.row('Operation Nightjar')).toBeHidden();
  // …and show under Archived and All.
  await ui.filterStatus('Archived');
  await expect(ui.row('Operation Nightjar')).toBeVisible();
  await expect(ui.row('Sockpuppet ring')).toBeHidden();
  await expect(ui.row('Operation Nightjar')).toContainText('Archived');
  await ui.filterStatus('All');
  await expect(ui.row('Operation Nightjar')).toBeVisible();
  await expect(ui.row('Sockpuppet ring')).toBeVisible();

  await ui.open('Operation Nightjar');
  const dialog = await ui.startDelete();
  await expect(dialog).toContainText('2 entities');
  await shot(page, 'delete-dialog');
  // Cancel first: nothing happens.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Operation Nightjar', level: 2 })).toBeVisible();

  const again = await ui.startDelete();
  await again.getByRole('button', { name: 'Delete investigation' }).click();
  await expect(page.getByRole('heading', { name: 'Investigations', level: 2 })).toBeVisible();
  await ui.filterStatus('All');
  await expect(ui.row('Sockpuppet ring')).toBeVisible();
  await expect(ui.row('Operation Nightjar')).toBeHidden();
  const left = (await app.cli(['investigation', 'list'])) as { items: { name: string }[] };
  expect(left.items.map((i) => i.name)).toEqual(['Sockpuppet ring']);
});

test('entity table: type filter with counts, search, delete with confirmation, live refresh', async ({ page, app }) => {
  const created = (await app.cli(['investigation', 'create', 'Filters'])) as { id: string };
  const ui = new InvestigationsPage(page, app);
  await ui.goto();
  await ui.open('Filters');

  await ui.addEntity({ type: 'domain', value: 'Example.org' });
  await ui.addEntity({ type: 'email', value: 'a@example.org' });
  await ui.addEntity({ type: 'email', value: 'b@example.org' });
  // The same email again is merged, not duplicated.
  await ui.addEntity({ type: 'email', value: 'A@EXAMPLE.ORG ' });
  await expect(page.getByText('Already in this investigation')).toBeVisible();

  const chips = page.getByRole('radiogroup', { name: 'Entity type filter' });
  await expect(chips).toContainText('All 3');
  await expect(chips).toContainText('email 2');
  await expect(chips).toContainText('domain 1');

  await ui.filterEntityType('email');
  await expect(ui.entityTable.getByRole('row')).toHaveCount(3); // header + 2
  await shot(page, 'entities-filtered');
  await expect(ui.entityRow('example.org').filter({ hasText: 'domain' })).toHaveCount(0);
  await ui.filterEntityType('All');

  await page.getByRole('textbox', { name: 'Search entities' }).fill('b@');
  await expect(ui.entityTable.getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear entity search' }).click();
  await expect(ui.entityTable.getByRole('row')).toHaveCount(4);

  await ui.entityRow('b@example.org').getByRole('button', { name: 'Delete email b@example.org' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete entity?' });
  await dialog.getByRole('button', { name: 'Delete entity' }).click();
  await expect(ui.entityRow('b@example.org')).toHaveCount(0);
  await expect(chips).toContainText('email 1');

  // A change made by another client of the same core (a direct bridge call, not this page) shows up live over SSE.
  const res = await page.request.post(`${new URL(app.url).origin}/api/call/entities.add`, {
    headers: { authorization: `Bearer ${app.token}` },
    data: { investigationId: created.id, type: 'phone', value: '+44 20 7946 0958' },
  });
  expect(res.ok()).toBe(true);
  await expect(ui.entityRow('+44 20 7946 0958')).toBeVisible();
  await expect(chips).toContainText('phone 1');
});

test('edit renames, re-describes and re-tags; an empty name is refused inline; a missing investigation says so', async ({ page, app }) => {
  await app.cli(['investigation', 'create', 'Draft name', '--tag', 'old']);
  const ui = new InvestigationsPage(page, app);
  await ui.goto();

  // Edit from the list row.
  await ui.row('Draft name').getByRole('button', { name: 'Edit Draft name' }).click();
  let dialog = page.getByRole('dialog', { name: 'Edit investigation' });
  await expect(dialog.getByLabel('Name')).toHaveValue('Draft name');
  await dialog.getByLabel('Name').fill('');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByText('Name is required')).toBeVisible();
  await dialog.getByLabel('Name').fill('Final name');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(ui.row('Final name')).toBeVisible();

  // Edit from the investigation page: description and tags.
  await ui.open('Final name');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  dialog = page.getByRole('dialog', { name: 'Edit investigation' });
  await dialog.getByLabel('Description').fill('Now with a description.');
  await dialog.getByLabel('Tags').press('Backspace'); // removes "old"
  await dialog.getByLabel('Tags').fill('new-tag');
  await dialog.getByLabel('Tags').press('Enter');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Now with a description.')).toBeVisible();
  await expect(page.getByText('new-tag')).toBeVisible();
  await expect(page.getByText('old', { exact: true })).toHaveCount(0);
  const [stored] = ((await app.cli(['investigation', 'list'])) as { items: { name: string; description: string; tags: string[] }[] }).items;
  expect(stored).toMatchObject({ name: 'Final name', description: 'Now with a description.', tags: ['new-tag'] });

  await page.goto(`${new URL(app.url).origin}/#/investigations/inv_does_not_exist`);
  await expect(page.getByText('This investigation does not exist')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the list' }).click();
  await expect(ui.row('Final name')).toBeVisible();
});

test('paging through investigations and entities; long content keeps the layout', async ({ page, app }) => {
  const origin = new URL(app.url).origin;
  const call = async (method: string, data: unknown) => {
    const res = await page.request.post(`${origin}/api/call/${method}`, { headers: { authorization: `Bearer ${app.token}` }, data });
    expect(res.ok(), `${method}: ${await res.text()}`).toBe(true);
    return ((await res.json()) as { result: { id: string } }).result;
  };
  for (let i = 1; i <= 27; i++) await call('investigations.create', { name: `Case ${String(i).padStart(2, '0')}` });
  const long = await call('investigations.create', {
    name: 'A very long investigation name that goes on and on to see whether the header and the table keep their shape',
    description: 'Line one of a longer description.\n'.repeat(8),
    tags: ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'],
  });
  const types = ['username', 'email', 'domain', 'phone', 'image', 'url', 'ip', 'account', 'person', 'organization', 'location', 'other'];
  for (let i = 0; i < 55; i++) {
    const type = types[i % types.length]!;
    // Hand-added values are checked by type (#18 item 5): a URL is absolute, an IP an address.
    const value =
      type === 'email'
        ? `user${i}@example.com`
        : type === 'domain'
          ? `host${i}.example.com`
          : type === 'phone'
            ? `+4420794600${String(i).padStart(2, '0')}`
            : type === 'url'
              ? `https://example.com/${type}-${i}`
              : type === 'ip'
                ? `192.0.2.${i}`
                : `${type}-${i}`;
    await call('entities.add', { investigationId: long.id, type, value, label: i % 3 ? undefined : `note ${i}` });
  }

  const ui = new InvestigationsPage(page, app);
  await ui.goto();
  await expect(page.getByText('1–25 of 28')).toBeVisible();
  await expect(ui.table.getByRole('row')).toHaveCount(26);
  await shot(page, 'investigations-list-paged');
  await page.getByRole('navigation', { name: 'Investigation pages' }).getByRole('button', { name: 'Page 2' }).click();
  await expect(page.getByText('26–28 of 28')).toBeVisible();
  await expect(ui.table.getByRole('row')).toHaveCount(4);
  await expect(ui.row('Case 01')).toBeVisible();

  await page.goto(`${origin}/#/investigations/${long.id}`);
  await expect(page.getByText('55 entities')).toBeVisible();
  await expect(page.getByText('1–50 of 55')).toBeVisible();
  await shot(page, 'investigation-page-long');
  await page.getByRole('navigation', { name: 'Entity pages' }).getByRole('button', { name: 'Page 2' }).click();
  await expect(page.getByText('51–55 of 55')).toBeVisible();
  await expect(ui.entityTable.getByRole('row')).toHaveCount(6);
  // Filtering resets to the first page.
  await ui.filterEntityType('email');
  await expect(page.getByText('1–5 of 5')).toBeVisible();
});

test('keyboard only: create and open an investigation; delete from its list row', async ({ page, app }) => {
  const ui = new InvestigationsPage(page, app);
  await ui.goto();
  await page.getByRole('button', { name: 'New investigation' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New investigation' });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Typed by keyboard');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Typed by keyboard', level: 2 })).toBeVisible();

  await page.getByRole('link', { name: 'Investigations' }).first().click();
  await ui.row('Typed by keyboard').getByRole('link', { name: 'Typed by keyboard' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Typed by keyboard', level: 2 })).toBeVisible();

  await page.getByRole('link', { name: 'Investigations' }).first().click();
  await ui.row('Typed by keyboard').getByRole('button', { name: 'Delete Typed by keyboard' }).focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete “Typed by keyboard”?' });
  // The safe choice has the focus: Enter right away would cancel.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Delete investigation' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('No investigations yet')).toBeVisible();
  expect(((await app.cli(['investigation', 'list'])) as { total: number }).total).toBe(0);
});
