import { test, expect, shot } from './support/serve.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';
import { TemplatesPage } from './pages/templates.page.ts';

// #18 item 6: one long value must not push a list off screen, and a limit is said, never applied by cutting.

const LONG = 'Operation-' + 'x'.repeat(190); // 200 characters, no space to wrap at: the worst case for a table

test('a 200-character name is cut with an ellipsis and shown whole on hover; the other columns stay on screen', async ({ page, app }) => {
  await app.cli(['investigation', 'create', LONG]);
  await app.cli(['investigation', 'create', 'Short one']);
  const inv = new InvestigationsPage(page, app);
  await inv.goto();
  const viewport = page.viewportSize()!;
  for (const col of ['Entities', 'Updated']) {
    const box = (await inv.columnHeader(col).boundingBox())!;
    expect(box.x + box.width, col).toBeLessThanOrEqual(viewport.width);
  }
  const link = inv.row(LONG).getByRole('link', { name: LONG });
  const cell = link.locator('xpath=..');
  expect(await cell.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await expect(cell).toHaveCSS('text-overflow', 'ellipsis');
  await link.hover();
  await expect(page.getByRole('tooltip')).toHaveText(LONG);
  await shot(page, 'polish-long-name-list');

  // A short name is not cut and gets no tooltip.
  await inv.row('Short one').getByRole('link', { name: 'Short one' }).hover();
  await expect(page.getByRole('tooltip')).toHaveCount(0);
});

test('a name past 200 characters is kept as typed and refused with its length, not silently cut', async ({ page, app }) => {
  const inv = new InvestigationsPage(page, app);
  await inv.goto();
  const dialog = await inv.startCreate(LONG + 'y'.repeat(30));
  const name = dialog.getByRole('textbox', { name: 'Name' });
  await expect(name).toHaveValue(LONG + 'y'.repeat(30));
  await expect(name).toHaveAccessibleDescription(/At most 200 characters \(this has 230\)/);
  await dialog.getByRole('button', { name: 'Create investigation' }).click();
  await expect(dialog).toBeVisible();
  await shot(page, 'polish-name-limit');
  expect(((await app.cli(['investigation', 'list'])) as { items: unknown[] }).items).toHaveLength(0);

  // Shortened to the limit, it is accepted whole.
  await name.fill(LONG);
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Create investigation' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: LONG })).toBeVisible();
});

test('the template editor says its name limit instead of failing with a raw message', async ({ page, app }) => {
  const templates = new TemplatesPage(page, app);
  await templates.goto();
  await templates.startNew('t'.repeat(205));
  await templates.setStep(1, 'phone.parse', '{{phone}}');
  await expect(templates.field(page, 'Name')).toHaveAccessibleDescription(/At most 200 characters \(this has 205\)/);
  await expect(page.getByText('Shorten the name to 200 characters.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create template' })).toBeDisabled();
});
