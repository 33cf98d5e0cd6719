import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../main/core/core.ts';
import { createTeamToken, startServerProcess, type ServerProcess } from '../main/core/sync/testing.ts';
import { TeamPage } from './pages/team.page.ts';
import { expect, shot, test } from './support/serve.ts';

/**
 * Issue #9 UI: a real `bin/sync-server` on SQLite in a temp dir, the UI's
 * `dossier serve` as one desktop, and a second data directory driven through the
 * core as a teammate.
 */
let serverDir: string;
let server: ServerProcess;
let token: string;

test.beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'dossier-e2e-sync-'));
  token = await createTeamToken(serverDir, 'investigators');
  server = await startServerProcess(serverDir);
});
test.afterAll(async () => {
  await server?.stop();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

test('connect in Settings → Team, share from the editor, see it in Team; a teammate’s edit meets ours: both kept, toast and Team section', async ({
  page,
  app,
}) => {
  const team = new TeamPage(page, app);
  const doc = join(app.dataDir, 'phones.json');
  writeFileSync(doc, JSON.stringify({ name: 'phones', description: 'original', steps: [{ tool: 'phone.parse', input: '{{phone}}' }] }));
  await app.cli(['template', 'import', doc]);

  await team.gotoSettings();
  await team.connect(server.url, token);
  await expect(team.panel).toContainText('investigators');
  await shot(page, 'team-settings-connected');

  await team.openTemplate('phones');
  await expect(team.sharedSwitch).not.toBeChecked();
  await team.sharedSwitch.click();
  await expect(team.sharedSwitch).toBeChecked();

  // The background worker pushes soon after a shared template changes.
  await team.gotoTeam();
  const row = team.sharedRow('phones');
  await expect(row).toBeVisible();
  await expect(row).toContainText('admin', { timeout: 20_000 });
  await expect(row).toContainText('1');
  await shot(page, 'team-section-shared');

  // A teammate (a second data directory) pulls, edits and pushes version 2.
  const mateDir = mkdtempSync(join(tmpdir(), 'dossier-e2e-mate-'));
  const mate = await createCore({ dataDir: mateDir, mode: 'test' });
  try {
    await mate.call('sync.connect', { server: server.url, token });
    expect(await mate.call('sync.now', {})).toMatchObject({ pulled: 1 });
    await mate.call('templates.update', { id: 'phones', description: 'edited by the teammate' });
    expect(await mate.call('sync.now', {})).toMatchObject({ pushed: 1, conflicts: [] });
  } finally {
    await mate.close();
    rmSync(mateDir, { recursive: true, force: true });
  }

  // Our own edit, made before we pulled theirs: its push meets version 2.
  await team.openTemplate('phones');
  await page.getByRole('textbox', { name: 'Description' }).fill('edited in the UI');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('sync-conflict-toast')).toContainText('phones', { timeout: 20_000 });
  await shot(page, 'team-conflict-toast');

  await team.gotoTeam();
  const c = team.conflict('phones');
  await expect(c).toBeVisible();
  await expect(c).toContainText(/phones \(conflict \d{4}-\d\d-\d\d \d\d:\d\d\)/);
  await expect(c.getByRole('button', { name: 'Keep both for phones' })).toBeVisible();
  await shot(page, 'team-section-conflict');

  // Both copies exist: the team's version is the template, our edit is a local copy.
  const list = (await app.cli(['template', 'list'])) as { name: string }[] | { items: { name: string }[] };
  const names = (Array.isArray(list) ? list : list.items).map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['phones', expect.stringMatching(/^phones \(conflict /)]));
});
