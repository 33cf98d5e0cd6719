import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test as base, expect, shot, startServe, type ServedApp } from './support/serve.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';
import { GraphPage } from './pages/graph.page.ts';
import { RelayPage } from './pages/relay.page.ts';
import { SearchPage } from './pages/search.page.ts';
import { BatchesPage } from './pages/batches.page.ts';
import { startSiteFixture } from '../main/core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../main/core/testing/fixtures/sites-manifest.ts';

const SAMPLE = fileURLToPath(new URL('../resources/samples/investigation.json', import.meta.url));
interface SampleEntity {
  type: string;
  value: string;
  label: string | null;
  evidence: { excerpt?: string } | null;
}
const NAME = 'Operation Nightjar';
/** A word that only the Keybase account's evidence excerpt holds (not its value, label or properties). */
const WORD = 'kestrelwing';
const KEYBASE = 'https://example.org/keybase/nightjar_42';

/** The committed sample with one excerpt that says something only it says. */
function sampleWithWord(dir: string): { path: string; entities: SampleEntity[] } {
  const s = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { entities: SampleEntity[] };
  const e = s.entities.find((x) => x.value === KEYBASE)!;
  e.evidence = { ...e.evidence, excerpt: `<title>/keybase/nightjar_42</title> Member since 2019; writes about ${WORD} migrations.` };
  const path = join(dir, 'investigation.json');
  writeFileSync(path, JSON.stringify(s));
  return { path, entities: s.entities };
}

// The relay listens on a free port here, so parallel runs never fight over the default 8787.
const test = base.extend<{ app: ServedApp; dir: string }>({
  app: async ({}, use) => {
    const app = await startServe({ DOSSIER_RELAY_PORT: '0' });
    await use(app);
    await app.stop();
  },
  dir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-search-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
});

// Real serve processes and CLI calls on a shared CI machine: give each test room (as batches.spec.ts does).
test.describe.configure({ timeout: 120_000 });

test('entity table: a two-condition OR filter built with the mouse, saved, reloaded and applied from the menu', async ({ page, app, dir }) => {
  const { path, entities } = sampleWithWord(dir);
  await app.cli(['investigation', 'import', path]);
  const list = new InvestigationsPage(page, app);
  const ui = new SearchPage(page);
  await list.goto();
  await list.open(NAME);
  await page.getByRole('tab', { name: 'Entities' }).click();
  const rows = list.entityTable.locator('tbody tr');
  await expect(rows).toHaveCount(entities.length);

  // Type is phone OR Value ends with ".example": every pick is a mouse click on an option.
  const expected = entities.filter((e) => e.type === 'phone' || e.value.endsWith('.example')).map((e) => e.value);
  expect(expected.length).toBe(3);
  await ui.openBuilder('entity');
  await ui.addCondition();
  await ui.pick('Value', 1, 'phone');
  await ui.addCondition();
  await ui.pick('Field', 2, 'Value');
  await ui.pick('Operator', 2, 'ends with');
  await ui.type(2, '.example');
  await ui.matchAny();
  await shot(page, 'search-filter-builder');
  await ui.apply();

  await expect(rows).toHaveCount(expected.length);
  for (const v of expected) await expect(rows.filter({ has: page.getByText(v, { exact: true }) })).toHaveCount(1);
  await expect(ui.badge('Type is phone')).toBeVisible();
  await expect(ui.badge('or Value ends with “.example”')).toBeVisible();
  await shot(page, 'search-filter-applied');

  await ui.saveAs('Phones or .example');
  await page.reload();
  // The applied filter is kept for the session (like before this change)…
  await expect(rows).toHaveCount(expected.length);
  // …so clear it, and bring it back from the saved-filter menu.
  await ui.clearAll();
  await expect(rows).toHaveCount(entities.length);
  await expect(ui.badge('Type is phone')).toHaveCount(0);
  await ui.applySaved('Phones or .example');
  await expect(rows).toHaveCount(expected.length);
  for (const v of expected) await expect(rows.filter({ has: page.getByText(v, { exact: true }) })).toHaveCount(1);
  await expect(ui.badge('Type is phone')).toBeVisible();
  await shot(page, 'search-filter-saved-applied');

  // A badge removes its own condition only.
  await ui.removeBadge('Type is phone');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ has: page.getByText('+1 202 555 0142', { exact: true }) })).toHaveCount(0);
});

test('Ctrl+K finds a word only an evidence excerpt holds, ranked with a snippet, and opens the entity selected in its graph', async ({ page, app, dir }) => {
  const { path } = sampleWithWord(dir);
  const imported = (await app.cli(['investigation', 'import', path])) as { investigationId: string };
  const list = new InvestigationsPage(page, app);
  const ui = new SearchPage(page);
  await list.goto();
  await ui.openSearchByKeyboard();
  await ui.searchFor(WORD.toUpperCase());
  await expect(ui.hits).toHaveCount(1);
  const hit = ui.hits.first();
  await expect(hit).toHaveAccessibleName(`account ${KEYBASE} in ${NAME}`);
  await expect(hit.locator('mark')).toHaveText(WORD);
  await expect(hit).toContainText('Member since 2019');
  await shot(page, 'search-global-hit');

  await page.getByRole('textbox', { name: 'Search text' }).press('Enter');
  await expect(ui.searchDialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`#/investigations/${imported.investigationId}/graph\\?select=`));
  const graph = new GraphPage(page, app);
  await graph.ready();
  await expect(graph.details).toContainText(KEYBASE);
  await shot(page, 'search-global-opened');

  // And by mouse, from a fresh search: the same entity.
  await page.getByRole('button', { name: 'Search everything' }).click();
  await ui.searchFor(WORD);
  await ui.hits.first().click();
  await expect(ui.searchDialog).toBeHidden();
  await expect(graph.details).toContainText(KEYBASE);
});

test('investigations list: filter by tag and name with the mouse (AND), remove a badge, clear all', async ({ page, app }) => {
  await app.cli(['investigation', 'create', 'Harbor fraud ring', '--tag', 'fraud', '--tag', 'ports']);
  await app.cli(['investigation', 'create', 'Quiet fraud lead', '--tag', 'fraud']);
  await app.cli(['investigation', 'create', 'Falcon sightings', '--tag', 'birds']);
  const list = new InvestigationsPage(page, app);
  const ui = new SearchPage(page);
  await list.goto();
  const rows = list.table.locator('tbody tr');
  await expect(rows).toHaveCount(3);

  await ui.openBuilder('investigation');
  await ui.addCondition();
  await ui.pick('Field', 1, 'Tags');
  await ui.pick('Operator', 1, 'contains');
  await ui.type(1, 'fraud');
  await ui.addCondition();
  await ui.pick('Field', 2, 'Name');
  await ui.pick('Operator', 2, 'starts with');
  await ui.type(2, 'harbor');
  await shot(page, 'search-investigations-builder');
  await ui.apply();
  await expect(rows).toHaveCount(1);
  await expect(list.row('Harbor fraud ring')).toBeVisible();
  await shot(page, 'search-investigations-filtered');

  await ui.removeBadge('Name starts with “harbor”');
  await expect(rows).toHaveCount(2);
  await expect(list.row('Falcon sightings')).toHaveCount(0);
  await page.reload();
  await expect(rows).toHaveCount(2);
  await ui.clearAll();
  await expect(rows).toHaveCount(3);
});

const sign = (secret: string, body: string) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

test('relay requests: an OR filter on event type narrows the stream, and live arrivals respect it', async ({ page, app }) => {
  const relay = new RelayPage(page, app);
  const ui = new SearchPage(page);
  await relay.goto();
  await expect(page.getByText('Receiver running')).toBeVisible();
  const { url } = await relay.createEndpoint({ slug: 'gh-filter', provider: 'GitHub', secret: 'e2e-secret' });
  await relay.closeDialog();
  let n = 0;
  const send = async (event: string) => {
    const body = JSON.stringify({ n: ++n });
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': `d-${n}`, 'x-hub-signature-256': sign('e2e-secret', body) },
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { id: number }).id;
  };
  await relay.tab('Requests');
  const push1 = await send('push');
  const issues = await send('issues');
  const star = await send('star');
  const items = relay.stream.getByRole('listitem');
  await expect(items).toHaveCount(3);

  await ui.openBuilder('request');
  await ui.addCondition();
  await ui.pick('Field', 1, 'Event type');
  await ui.type(1, 'push');
  await ui.addCondition();
  await ui.pick('Field', 2, 'Event type');
  await ui.type(2, 'star');
  await ui.matchAny();
  await ui.apply();
  await expect(items).toHaveCount(2);
  await expect(relay.request(push1)).toBeVisible();
  await expect(relay.request(star)).toBeVisible();
  await expect(relay.request(issues)).toHaveCount(0);

  // Live: a non-matching arrival stays out, a matching one comes in (the core applies the filter).
  const issues2 = await send('issues');
  const push2 = await send('push');
  await expect(relay.request(push2)).toBeVisible();
  await expect(items).toHaveCount(3);
  await expect(relay.request(issues2)).toHaveCount(0);
  await expect(page.getByText('3 requests')).toBeVisible();
  await shot(page, 'search-relay-filtered');

  await ui.clearAll();
  await expect(items).toHaveCount(5);
});

test('webhook deliveries: a number filter on the last HTTP status, kept over a reload', async ({ page, app }) => {
  // A receiver that answers 200 to the first request and 503 to the rest.
  let seen = 0;
  const rx = createServer((req, res) => {
    req.resume();
    req.on('end', () => void res.writeHead(seen++ === 0 ? 200 : 503).end());
  });
  await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(rx.address() as AddressInfo).port}/hook`;
    const hook = (await app.cli(['webhook', 'add', '--url', url, '--events', 'investigation.created', '--allow-private-network'])) as { id: string };
    await app.cli(['webhook', 'test', hook.id]);
    await app.cli(['webhook', 'test', hook.id]);
    const ui = new SearchPage(page);
    await page.goto(`${app.url.split('?')[0]}?token=${app.token}#/webhooks/${hook.id}`);
    const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr');
    await expect(rows).toHaveCount(2);

    await ui.openBuilder('delivery');
    await ui.addCondition();
    await ui.pick('Field', 1, 'Last HTTP status');
    await ui.pick('Operator', 1, '≥');
    await ui.typeNumber(1, 500);
    await ui.apply();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('503');
    await expect(ui.badge('Last HTTP status ≥ 500')).toBeVisible();
    await shot(page, 'search-deliveries-filtered');
    await page.reload();
    await expect(rows).toHaveCount(1);
    await ui.clearAll();
    await expect(rows).toHaveCount(2);
  } finally {
    rx.closeAllConnections();
    await new Promise((r) => rx.close(r));
  }
});

test("a batch's operations: an OR filter on the input, built with the mouse", async ({ page, app }) => {
  // username.sites against a local fixture of three sites (as in batches.spec.ts): nothing leaves the machine.
  const fx = await startSiteFixture({ claimed: ['alice'], delayMs: 10 });
  try {
    const sites = ['FxStatus', 'FxMessage', 'FxStrings'];
    const res = await fetch(`${new URL(app.url).origin}/api/call/sites.import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
      body: JSON.stringify({ content: JSON.stringify(fixtureManifest(fx.url, sites)), format: 'dossier' }),
    });
    expect(res.status).toBe(200);
    await app.cli(['investigation', 'create', 'Case Merlin']);
    const batches = new BatchesPage(page, app);
    const ui = new SearchPage(page);
    await batches.goto();
    await batches.createFromList({ investigation: 'Case Merlin', tool: 'username.sites', values: ['alice', 'bob', 'zed'], name: 'Merlin usernames' });
    await batches.waitFinished('completed');
    const rows = page.getByRole('table', { name: 'Operations' }).locator('[role="row"][aria-rowindex]');
    await expect(rows).toHaveCount(3);

    await ui.openBuilder('operation');
    await ui.addCondition();
    await ui.pick('Field', 1, 'Input');
    await ui.type(1, 'alice');
    await ui.addCondition();
    await ui.pick('Field', 2, 'Input');
    await ui.pick('Operator', 2, 'ends with');
    await ui.type(2, 'ed');
    await ui.matchAny();
    await ui.apply();
    await expect(rows).toHaveCount(2);
    await expect(batches.operationRow('alice')).toBeVisible();
    await expect(batches.operationRow('zed')).toBeVisible();
    await expect(batches.operationRow('bob')).toHaveCount(0);
    await expect(page.getByText('2 operations')).toBeVisible();
    await shot(page, 'search-operations-filtered');
    await ui.clearAll();
    await expect(rows).toHaveCount(3);
  } finally {
    await fx.close();
  }
});
