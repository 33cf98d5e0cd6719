import { test, expect, shot } from './support/serve.ts';
import { SettingsPage } from './pages/settings.page.ts';

interface Entry {
  key: string;
  value: unknown;
}

test('settings: shows the installation, saves a valid value, refuses an invalid one inline', async ({ page, app }) => {
  const ui = new SettingsPage(page, app);
  await ui.goto();

  await expect(page.getByTestId('app-data-dir')).toHaveText(app.dataDir);
  await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(page.getByTestId('app-mode')).toHaveText('Browser mode');
  // The token the URL carried is gone from the address bar and the history entry; a reload still works.
  expect(page.url()).not.toContain(app.token);
  expect(await page.evaluate(() => window.location.href)).not.toContain('token=');
  await page.reload();
  await expect(page.getByTestId('app-mode')).toHaveText('Browser mode');
  expect(page.url()).not.toContain(app.token);

  // Every setting the core knows has a form on the page.
  const all = (await app.cli(['config', 'get'])) as Entry[];
  for (const e of all) await expect(ui.field(e.key)).toBeVisible();

  // A number: Save is enabled only once the value differs, then it sticks.
  const concurrency = ui.field('executor.concurrency');
  const input = concurrency.getByRole('textbox', { name: 'Concurrency' });
  await expect(input).toHaveValue('64');
  await expect(concurrency.getByRole('button', { name: 'Save executor.concurrency' })).toBeDisabled();
  await input.fill('12');
  await ui.save('executor.concurrency');
  await expect(page.getByText('Saved executor.concurrency')).toBeVisible();
  expect(((await app.cli(['config', 'get', 'executor.concurrency'])) as Entry).value).toBe(12);
  await expect(concurrency.getByRole('button', { name: 'Reset executor.concurrency to default' })).toBeVisible();

  // Out of range: the core's own message appears under the input and nothing is stored.
  await input.fill('9999');
  await ui.save('executor.concurrency');
  await expect(concurrency.getByText(/invalid value for executor\.concurrency/)).toBeVisible();
  expect(((await app.cli(['config', 'get', 'executor.concurrency'])) as Entry).value).toBe(12);

  // A URL setting with a bad URL, same story.
  const sync = ui.field('sync.server');
  await sync.getByRole('textbox', { name: 'Server' }).fill('not a url');
  await ui.save('sync.server');
  await expect(sync.getByText(/invalid value for sync\.server/)).toBeVisible();
  expect(((await app.cli(['config', 'get', 'sync.server'])) as Entry).value).toBe('');

  // A choice: the theme switches the UI at once and persists.
  await ui.field('ui.theme').locator('label').filter({ hasText: /^dark$/ }).click();
  await ui.save('ui.theme');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  expect(((await app.cli(['config', 'get', 'ui.theme'])) as Entry).value).toBe('dark');
  await shot(page, 'settings-dark');

  await page.reload();
  await expect(ui.field('executor.concurrency').getByRole('textbox', { name: 'Concurrency' })).toHaveValue('12');
  await ui.field('ui.theme').locator('label').filter({ hasText: /^light$/ }).click();
  await ui.save('ui.theme');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  await shot(page, 'settings');
});

test('settings: a theme set from the command line is the one the UI starts with', async ({ page, app }) => {
  await app.cli(['config', 'set', 'ui.theme', 'dark']);
  await page.goto(app.url);
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
});
