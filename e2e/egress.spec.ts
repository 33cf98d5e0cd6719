import { test, expect, shot } from './support/serve.ts';
import { EgressPage } from './pages/egress.page.ts';
import { startSocksProxy, type ProxyFixture } from '../main/core/testing/fixtures/proxy-servers.ts';
import { startEgressOrigin, type EgressOrigin } from '../main/core/testing/fixtures/egress-origin.ts';

let socks: ProxyFixture;
let origin: EgressOrigin;

test.beforeAll(async () => {
  origin = await startEgressOrigin();
  socks = await startSocksProxy();
});
test.afterAll(async () => {
  await socks.close();
  await origin.close();
});

test('settings: set a SOCKS5 egress, run the leak test, see both addresses, and the setting sticks', async ({ page, app }) => {
  const ui = new EgressPage(page, app);
  await ui.goto();
  await ui.choose('SOCKS5');
  await ui.setProxy('127.0.0.1', socks.port);
  await ui.panel.getByRole('button', { name: 'Save egress', exact: true }).click();
  await expect(page.getByText('Saved the egress')).toBeVisible();
  expect(((await app.cli(['config', 'get', 'egress.default'])) as { value: unknown }).value).toEqual({ mode: 'socks5', host: '127.0.0.1', port: socks.port });

  await ui.test(`${origin.url}/ip`);
  // The proxy fixture connects out from 127.0.0.2: the echo sees a different address through it.
  await expect(ui.row('direct')).toContainText('127.0.0.1');
  await expect(ui.row('proxied')).toContainText(`Through socks5h://127.0.0.1:${socks.port}`);
  await expect(ui.row('proxied')).toContainText('127.0.0.2');
  await expect(page.getByText('Same address both ways')).toHaveCount(0);
  expect(socks.targets.length).toBe(1);
  await shot(page, 'egress-test');

});
