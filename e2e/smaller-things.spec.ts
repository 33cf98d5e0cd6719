import { test, expect, shot } from './support/serve.ts';
import { ToolsPage } from './pages/tools.page.ts';

// #18 item 11: the smaller things a first session tripped over.

test('tool parameters are labelled in words, with units and their defaults said', async ({ page, app }) => {
  const inv = (await app.cli(['investigation', 'create', 'Labels'])) as { id: string };
  await page.goto(`${app.url}#/investigations/${inv.id}`);
  const tools = new ToolsPage(page, app);
  const d = await tools.openRunDialog('domain', 'dns.resolve');
  const timeout = d.getByRole('textbox', { name: 'Timeout (ms)' });
  await expect(timeout).toBeVisible();
  await expect(timeout).toHaveAccessibleDescription(/Default: 5,000/);
  await expect(d.getByText('Timeout Ms')).toHaveCount(0);
  // The default stays said once a value is typed.
  await timeout.fill('900');
  await expect(timeout).toHaveAccessibleDescription(/Default: 5,000/);
  await shot(page, 'polish-param-labels');
  await d.getByRole('button', { name: 'Close' }).click();

  const probe = await tools.openRunDialog('url', 'http.probe');
  await expect(probe.getByRole('textbox', { name: 'Max redirects' })).toHaveAccessibleDescription(/Default: 10/);
  await expect(
    probe
      .getByRole('textbox', { name: 'Scheme' })
      .or(probe.getByRole('combobox', { name: 'Scheme' }))
      .first(),
  ).toHaveAccessibleDescription(/Default: https/);
});

test('a site can be turned off and on in the Tools section, and stays so', async ({ page, app }) => {
  const tools = new ToolsPage(page, app);
  await tools.goto('Site manifest');
  const summary = tools.manifestSummary;
  await expect(summary).toContainText(/\d+ enabled sites/);
  const total = Number(/(\d+) enabled sites/.exec(await summary.innerText())![1]);
  const first = page.getByRole('table', { name: 'Sites' }).getByRole('switch').first();
  const name = (await first.getAttribute('aria-label'))!.replace(/^Check /, '');
  await expect(first).toBeChecked();
  await first.click({ force: true });
  await expect(tools.siteSwitch(name)).not.toBeChecked();
  await expect(summary).toContainText(`${total - 1} enabled sites`);
  await shot(page, 'polish-site-disabled');
  await tools.goto('Site manifest');
  await expect(tools.siteSwitch(name)).not.toBeChecked();
  await tools.siteSwitch(name).click({ force: true });
  await expect(summary).toContainText(`${total} enabled sites`);
});
