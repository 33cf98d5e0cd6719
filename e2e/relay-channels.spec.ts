import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamToken, startServerProcess, type ServerProcess } from '../main/core/sync/testing.ts';
import { RelayPage } from './pages/relay.page.ts';
import { TeamPage } from './pages/team.page.ts';
import { expect, shot, test } from './support/serve.ts';

/** Issue #10 UI: a real `bin/sync-server`; an endpoint bound to a team channel in the dialog; a request posted to the channel shows up. */
let serverDir: string;
let server: ServerProcess;
let token: string;

test.beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'dossier-e2e-chan-'));
  token = await createTeamToken(serverDir, 'investigators');
  server = await startServerProcess(serverDir);
});
test.afterAll(async () => {
  await server?.stop();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

test('an endpoint bound to a team channel in the dialog streams the channel: state in the header, the request in the stream', async ({ page, app }) => {
  const team = new TeamPage(page, app);
  await team.gotoSettings();
  await team.connect(server.url, token);
  const created = await fetch(`${server.url}/api/v1/channels`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"github"}' });
  const ch = (await created.json()) as { id: string; url: string };

  const ui = new RelayPage(page, app);
  await ui.goto();
  await ui.createEndpoint({ slug: 'team-github', provider: 'GitHub', secret: 'chan-secret', channelId: ch.id });
  await ui.closeDialog();
  await expect(ui.channelBadge('team-github')).toContainText('streaming');

  await ui.tab('Requests');
  const body = JSON.stringify({ action: 'opened', issue: { number: 7, title: 'Via the team server' } });
  const res = await fetch(ch.url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'chan-e2e-1', 'x-hub-signature-256': 'sha256=' + createHmac('sha256', 'chan-secret').update(body).digest('hex') },
  });
  expect(res.status).toBe(202);
  await expect(ui.stream.getByRole('listitem').first()).toContainText('verified');
  await expect(ui.stream.getByRole('listitem').first()).toContainText('issues');
  await shot(page, 'relay-channel-streaming');
});
