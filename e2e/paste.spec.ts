import { test, expect, shot, type ServedApp } from './support/serve.ts';
import { BatchesPage, choose, pasteInto } from './pages/batches.page.ts';
import { callApi as api } from './support/api.ts';

/** #18 item 7: big pasted lists parse off the main thread, start at once, and a refused line is named. */
test.describe.configure({ timeout: 120_000 });

async function openDialog(page: import('@playwright/test').Page, app: ServedApp) {
  await app.cli(['investigation', 'create', 'Case Paste']);
  const batches = new BatchesPage(page, app);
  await batches.goto();
  await page.getByRole('button', { name: 'New batch' }).click();
  const d = page.getByRole('dialog', { name: 'New batch' });
  await choose(page, d, 'Investigation', 'Case Paste');
  await choose(page, d, 'Tool', /\(username\.sites\)/);
  return { batches, d };
}

test('50,000 pasted lines are counted, start a batch of 50,000 operations and land on its page', async ({ page, app }) => {
  const { d } = await openDialog(page, app);
  const lines = Array.from({ length: 50_000 }, (_, i) => `user${i}`);
  // A repeat and blank lines, as a real paste has.
  await pasteInto(d.getByRole('textbox', { name: 'Inputs' }), `${lines.join('\n')}\n\nuser7\n`);
  await expect(d.getByText('50,000 distinct values')).toBeVisible();
  await expect(d.getByRole('button', { name: 'Start batch' })).toBeEnabled();
  await d.getByRole('button', { name: 'Start batch' }).click();
  await expect(d).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: /username\.sites/ })).toBeVisible();
  const id = new URL(page.url()).hash.split('/').pop()!;
  const b = (await api(app, 'batches.get', { id })) as { counts: { total: number } };
  expect(b.counts.total).toBe(50_000);
  // Nothing to learn from running 50,000 lookups with no sites: stop it.
  await api(app, 'batches.cancel', { id });
  await shot(page, 'paste-50k-batch');
});

test('a line too long for a batch is named by its number and start, and Start waits until it is fixed', async ({ page, app }) => {
  const { d } = await openDialog(page, app);
  const inputs = d.getByRole('textbox', { name: 'Inputs' });
  await inputs.fill(`alice\n\nbob\n${'x'.repeat(5000)}\ncarol`);
  await expect(d.getByText(`Line 4: “${'x'.repeat(40)}…” is longer than 4,096 characters (5,000).`)).toBeVisible();
  await expect(d.getByRole('button', { name: 'Start batch' })).toBeDisabled();
  await shot(page, 'paste-bad-line');
  await inputs.fill('alice\n\nbob\ncarol');
  await expect(d.getByText('3 distinct values')).toBeVisible();
  await expect(d.getByRole('button', { name: 'Start batch' })).toBeEnabled();
});
