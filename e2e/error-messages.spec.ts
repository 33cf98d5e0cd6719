import { test, expect, shot, startServe } from './support/serve.ts';
import { TemplatesPage } from './pages/templates.page.ts';
import { ConnectionModel } from './pages/connection.page.ts';
import { RelayPage } from './pages/relay.page.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';

// #18 item 8: errors say what is wrong where it is wrong, and how to get out of it.

test('a template the core refuses shows each reason on its field, not a raw toast', async ({ page, app }) => {
  const templates = new TemplatesPage(page, app);
  await templates.goto();
  await templates.startNew('Phones');
  await templates.setStep(1, 'phone.parse', '{{phone}}');
  await templates.setStepParam(1, 'Default country', 'GBR');
  await page.getByRole('button', { name: 'Create template' }).click();

  const step = templates.step(1);
  await expect(templates.field(step, 'Default country')).toHaveAttribute('aria-invalid', 'true');
  await expect(templates.field(step, 'Default country')).toHaveAccessibleDescription(/A two-letter country code such as US or GB/);
  await expect(page.getByRole('alert').filter({ hasText: 'Could not save' })).toContainText('One field needs a change');
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await shot(page, 'polish-template-param-error');

  // Fixed, it saves; a second template of the same name is refused under Name.
  await step.getByRole('textbox', { name: 'Default country' }).fill('GB');
  await expect(templates.field(step, 'Default country')).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(templates.version).toHaveText('version 1');
  await page.getByRole('link', { name: 'Templates' }).first().click();
  await templates.startNew('Phones');
  await templates.setStep(1, 'phone.parse', '{{phone}}');
  await page.getByRole('button', { name: 'Create template' }).click();
  await expect(templates.field(page, 'Name')).toHaveAccessibleDescription(/A template named "Phones" already exists/);
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await shot(page, 'polish-template-name-taken');
});

test('a browser-mode URL without its token says where the right URL is', async ({ page, app }) => {
  const conn = new ConnectionModel(page);
  await page.goto(new URL(app.url).origin + '/');
  await expect(conn.tokenPage).toContainText('This page needs its access token');
  await expect(conn.tokenPage).toContainText('dossier serve');
  await expect(conn.tokenPage).toContainText('?token=');
  await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await shot(page, 'polish-no-token');

  // A token of an earlier run is refused: the page says so, with the same way out.
  await page.goto(new URL(app.url).origin + '/?token=from-yesterday');
  await expect(conn.tokenPage).toContainText('This access token is not accepted');
  await expect(conn.tokenPage).toContainText('Each run of dossier serve makes a new token');
});

test('a stopped server shows a banner and the counts on screen are marked out of date', async ({ page }) => {
  const app = await startServe();
  try {
    await app.cli(['investigation', 'create', 'Harbour']);
    const investigations = new InvestigationsPage(page, app);
    await investigations.goto();
    await expect(investigations.row('Harbour')).toBeVisible();
    const conn = new ConnectionModel(page);
    await expect(conn.lostBanner).toHaveCount(0);
    await expect(conn.content).toHaveCount(0);
  } finally {
    await app.stop();
  }
  const conn = new ConnectionModel(page);
  await expect(conn.lostBanner).toBeVisible();
  await expect(conn.lostBanner).toContainText('may be out of date');
  await expect(conn.content).toHaveCSS('opacity', '0.45');
  await shot(page, 'polish-server-stopped');
});

test('the endpoint-created note reads as an instruction for a provider without verification', async ({ page, app }) => {
  const relay = new RelayPage(page, app);
  await relay.goto();
  await relay.createEndpoint({ slug: 'open-door', provider: 'No verification' });
  await expect(relay.createdNote).toContainText('Give this URL to the sender. No signature is checked');
  await expect(relay.createdNote).not.toContainText('into No verification');
  await shot(page, 'polish-relay-none-created');
  await relay.closeDialog();
  await relay.createEndpoint({ slug: 'gh', provider: 'GitHub' });
  await expect(relay.createdNote).toContainText('Payload URL, and paste the secret below into its Secret field.');
});
