import { test, expect, shot } from './support/serve.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';
import { EntitiesPage } from './pages/entities.page.ts';

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
