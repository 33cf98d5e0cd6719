import { test, expect, shot } from './support/serve.ts';
import { TemplatesPage } from './pages/templates.page.ts';
import { ToolsPage } from './pages/tools.page.ts';
import { RelayPage } from './pages/relay.page.ts';
import { choose } from './pages/batches.page.ts';

// #18 item 9: the next step from a find is offered where the user looks for it.

test('an account (a profile URL) can be probed: http.probe in follow-up rules and in Run tool', async ({ page, app }) => {
  const templates = new TemplatesPage(page, app);
  await templates.goto();
  await templates.startNew('Accounts');
  expect(await templates.followUpToolsFor('account')).toContain('Probe web server (http.probe)');
  await shot(page, 'polish-account-follow-up');

  const inv = (await app.cli(['investigation', 'create', 'Profiles'])) as { id: string };
  await page.goto(`${app.url.split('?')[0]}#/investigations/${inv.id}`);
  const tools = new ToolsPage(page, app);
  expect(await tools.toolsOfferedFor('account')).toContain('Probe web server (http.probe)');
});

test('changing a step’s tool changes its bare placeholder to the tool’s input type', async ({ page, app }) => {
  const templates = new TemplatesPage(page, app);
  await templates.goto();
  await templates.startNew('Pivot');
  const step = templates.step(1);
  const input = step.getByRole('textbox', { name: 'Input' });
  await expect(input).toHaveValue('{{username}}');
  await choose(page, step, 'Tool', /\(dns\.resolve\)/);
  await expect(input).toHaveValue('{{domain}}');
  await choose(page, step, 'Tool', /\(http\.probe\)/);
  await expect(input).toHaveValue('{{domain}}'); // http.probe takes domains too: kept
  // What the user wrote is theirs.
  await input.fill('{{user}}@example.org');
  await choose(page, step, 'Tool', /\(email\.inspect\)/);
  await expect(input).toHaveValue('{{user}}@example.org');
  await shot(page, 'polish-step-placeholder');
});

test('a relay rule’s input path starts as its match path', async ({ page, app }) => {
  await app.cli(['investigation', 'create', 'Inbound']);
  const relay = new RelayPage(page, app);
  await relay.goto();
  await relay.createEndpoint({ slug: 'signups', provider: 'No verification' });
  await relay.closeDialog();
  const templates = new TemplatesPage(page, app);
  await templates.goto();
  await templates.startNew('probe-profile');
  await templates.setStep(1, 'http.probe', '{{url}}');
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(templates.version).toHaveText('version 1');

  await relay.goto();
  const dialog = await relay.openRules('signups');
  await dialog.getByRole('combobox', { name: 'Template' }).click();
  await page.getByRole('option', { name: 'probe-profile' }).click();
  const input = dialog.getByRole('textbox', { name: 'Input {{url}} from' });
  await expect(input).toHaveValue('$.url');
  await dialog.getByRole('textbox', { name: 'JSONPath match' }).fill('$.data.profile');
  await expect(input).toHaveValue('$.data.profile');
  await shot(page, 'polish-relay-input-path');
  // Once changed by hand, it stays.
  await input.fill('$.data.homepage');
  await dialog.getByRole('textbox', { name: 'JSONPath match' }).fill('$.data.site');
  await expect(input).toHaveValue('$.data.homepage');
});
