import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { test as base, expect, shot, startServe, type ServedApp } from './support/serve.ts';
import { RelayPage } from './pages/relay.page.ts';

// The relay listens on a free port here, so parallel runs never fight over the default 8787.
const test = base.extend<{ app: ServedApp }>({
  app: async ({}, use) => {
    const app = await startServe({ DOSSIER_RELAY_PORT: '0' });
    await use(app);
    await app.stop();
  },
});

/** A local forward target that remembers what it got. */
let target: { url: string; bodies: string[]; server: Server };
test.beforeEach(async () => {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      bodies.push(b);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('got it');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  target = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`, bodies, server };
});
test.afterEach(async () => {
  target.server.closeAllConnections();
  await new Promise((r) => target.server.close(r));
});

const sign = (secret: string, body: string) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

test('create an endpoint, watch a signed request arrive live, inspect it and replay it', async ({ page, app, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  const ui = new RelayPage(page, app);
  await ui.goto();
  await expect(page.getByText('Receiver running')).toBeVisible();
  const { url, secret } = await ui.createEndpoint({ slug: 'github-e2e', provider: 'GitHub', secret: 'e2e-secret', forwardTo: target.url });
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/github-e2e$/);
  expect(secret).toBe('e2e-secret');
  await shot(page, 'relay-endpoint-created');
  await ui.closeDialog();
  await expect(page.getByRole('row', { name: 'Endpoint github-e2e' })).toContainText('X-Hub-Signature-256');
  await shot(page, 'relay-endpoints');

  await ui.tab('Requests');
  await expect(page.getByText('No requests yet')).toBeVisible();
  const body = JSON.stringify({ action: 'opened', issue: { number: 42, title: 'Leak found' } });
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'e2e-1', 'x-hub-signature-256': sign('e2e-secret', body), authorization: 'Bearer hidden' },
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: number };

  // It arrives in the stream without a reload.
  await expect(ui.request(id)).toBeVisible();
  await expect(ui.request(id)).toContainText('verified');
  await expect(ui.request(id)).toContainText('issues');
  await ui.request(id).click();
  const inspector = ui.inspector(id);
  await expect(inspector).toBeVisible();
  await expect(inspector.getByLabel('Request body')).toContainText('"title": "Leak found"');
  await inspector.getByRole('tab', { name: /Headers/ }).click();
  const headers = inspector.getByRole('table', { name: 'Request headers' });
  await expect(headers.getByRole('row', { name: /x-hub-signature-256/i })).toContainText('signature');
  await expect(headers.getByRole('row', { name: /authorization/i })).toContainText('[redacted]');
  await expect(headers).not.toContainText('Bearer hidden');
  await inspector.getByRole('tab', { name: /Forwarding/ }).click();
  await expect(inspector.getByRole('table', { name: 'Forward attempts' })).toContainText('200');
  await shot(page, 'relay-inspector');

  await inspector.getByRole('button', { name: 'Replay to forward target' }).click();
  await expect(page.getByText(/Forwarded: 200/)).toBeVisible();
  await expect.poll(() => target.bodies.length).toBe(2);
  expect(target.bodies).toEqual([body, body]);

  await inspector.getByRole('button', { name: 'Replay through verification' }).click();
  const replayed = ui.inspector(id + 1);
  await expect(replayed).toBeVisible();
  await expect(ui.request(id + 1)).toContainText(`replay of #${id}`);
  await expect(replayed).toContainText('verified');
  await shot(page, 'relay-replayed');

  // A tampered request shows up as rejected.
  const bad = await fetch(url, { method: 'POST', body: body + ' ', headers: { 'x-hub-signature-256': sign('e2e-secret', body) } });
  expect(bad.status).toBe(401);
  await expect(ui.request(id + 2)).toContainText('invalid signature');

  // Playground: sign as GitHub, send to the endpoint, copy the cURL.
  await ui.tab('Playground');
  const compose = page.getByRole('region', { name: 'Compose request' });
  await expect(compose.getByRole('textbox', { name: 'URL' })).toHaveValue(url);
  const bodyBox = compose.getByRole('textbox', { name: 'Body' });
  await bodyBox.fill('{"broken": ');
  await expect(compose.getByText(/Invalid JSON/)).toBeVisible();
  await bodyBox.fill('{"from":"playground","n":1}');
  await expect(compose.getByText('Valid JSON')).toBeVisible();
  await compose.getByRole('switch', { name: 'Sign as provider' }).check();
  await compose.getByLabel('Signing secret').fill('e2e-secret');
  await compose.getByRole('button', { name: 'Send' }).click();
  const response = page.getByRole('region', { name: 'Response' });
  await expect(response.getByLabel('Response status')).toHaveText('202');
  await expect(response.getByLabel('Response body')).toContainText('"received":true');
  await expect(response).toContainText('Signed with X-Hub-Signature-256');
  await compose.getByRole('button', { name: 'Copy as cURL' }).click();
  const shown = compose.getByLabel('cURL command');
  await expect(shown).toContainText(`curl -X POST ${url}`);
  await expect(shown).toContainText("-H 'X-Hub-Signature-256: sha256=");
  await expect(shown).toContainText(`--data-binary '{"from":"playground","n":1}'`);
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  expect(clip).toBe((await shown.innerText()).trim());
  await shot(page, 'relay-playground');

  await ui.tab('Analytics');
  await page.getByLabel('Window').getByText('1h', { exact: true }).click();
  await expect(page.getByRole('radio', { name: '1h' })).toBeChecked();
  // One delivery, its replay, one rejected by signature, one from the playground: 4 requests, 3 of them 2xx.
  await expect(page.getByRole('group', { name: 'Requests' }).getByTestId('stat-value')).toHaveText('4');
  await expect(page.getByRole('group', { name: 'Success rate' }).getByTestId('stat-value')).toHaveText('75.0 %');
  await expect(page.getByRole('figure', { name: 'Requests by status over time' }).locator('canvas')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Top errors' })).toContainText('invalid_signature');
  await shot(page, 'relay-analytics');
});

test('a routing rule made in the UI starts a batch template when a matching request arrives', async ({ page, app }) => {
  const api = async (method: string, input: unknown) => {
    const res = await fetch(`${new URL(app.url).origin}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` }, body: JSON.stringify(input) });
    const body = (await res.json()) as { result?: { id: string }; error?: unknown };
    if (!res.ok) throw new Error(JSON.stringify(body.error));
    return body.result!;
  };
  await api('investigations.create', { name: 'Inbound leads' });
  await api('templates.create', { name: 'phone-lead', steps: [{ tool: 'phone.parse', input: '{{phone}}', inputType: 'phone' }] });
  await api('relay.endpoints.create', { slug: 'leads', provider: 'none' });

  const ui = new RelayPage(page, app);
  await ui.goto();
  await ui.tab('Endpoints');
  await page.getByRole('button', { name: 'Rules of leads' }).click();
  const dialog = page.getByRole('dialog', { name: 'Routing rules of leads' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('New lead with a phone');
  await dialog.getByRole('textbox', { name: 'JSONPath match' }).fill('$.customer.phone');
  await dialog.getByRole('combobox', { name: 'Template' }).click();
  await page.getByRole('option', { name: 'phone-lead' }).click();
  await dialog.getByRole('combobox', { name: 'Investigation' }).click();
  await page.getByRole('option', { name: 'Inbound leads' }).click();
  const input = dialog.getByRole('textbox', { name: 'Input {{phone}} from' });
  // The input path follows the match path (#18 item 9).
  await expect(input).toHaveValue('$.customer.phone');
  await dialog.getByRole('button', { name: 'Add rule' }).click();
  await expect(dialog.getByRole('table', { name: 'Rules' })).toContainText('New lead with a phone');
  await expect(dialog.getByRole('table', { name: 'Rules' })).toContainText('phone ← $.customer.phone');
  await shot(page, 'relay-rules');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await ui.tab('Requests');
  const url = `${(await api('relay.status', {}) as unknown as { url: string }).url}/hooks/leads`;
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ customer: { name: 'Ada', phone: '+44 20 7946 0958' } }), headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: number };
  await ui.request(id).click();
  const inspector = ui.inspector(id);
  await inspector.getByRole('tab', { name: /Rule matches/ }).click();
  const matches = inspector.getByRole('table', { name: 'Rule matches' });
  await expect(matches).toContainText('New lead with a phone');
  await expect(matches).toContainText('started');
  await expect(matches).toContainText('+44 20 7946 0958');
  await expect(matches).toContainText(/batch bat_/);
  await shot(page, 'relay-rule-match');
});

test('the stream stays virtualized with hundreds of requests and loads older ones on demand', async ({ page, app }) => {
  const call = async (method: string, input: unknown) => {
    const res = await fetch(`${new URL(app.url).origin}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` }, body: JSON.stringify(input) });
    return ((await res.json()) as { result: unknown }).result;
  };
  await call('relay.endpoints.create', { slug: 'bulk', provider: 'none' });
  const base = (await call('relay.status', {})) as { url: string };
  for (let i = 0; i < 6; i++) {
    await Promise.all(Array.from({ length: 100 }, (_, k) => fetch(`${base.url}/hooks/bulk`, { method: 'POST', body: `{"n":${i * 100 + k}}` }).then((r) => r.arrayBuffer())));
  }
  const ui = new RelayPage(page, app);
  await ui.goto();
  await expect(page.getByText('600 requests (newest 500 shown)')).toBeVisible();
  // Only the rows in view are in the DOM.
  expect(await ui.stream.getByRole('listitem').count()).toBeLessThan(60);
  await page.getByRole('button', { name: 'Load older requests' }).click();
  await expect(page.getByText(/^600 requests$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load older requests' })).toBeHidden();
  // A new arrival lands on top while the list is long.
  const res = await fetch(`${base.url}/hooks/bulk`, { method: 'POST', body: '{"n":"latest"}' });
  const { id } = (await res.json()) as { id: number };
  await expect(ui.request(id)).toBeVisible();
  await expect(page.getByText(/^601 requests$/)).toBeVisible();
  await shot(page, 'relay-stream-long');
});
