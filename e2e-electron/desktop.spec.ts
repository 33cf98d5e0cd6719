import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { InvestigationsPage } from '../e2e/pages/investigations.page.ts';
import type { ServedApp } from '../e2e/support/serve.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');

test.skip(process.env.DOSSIER_E2E_ELECTRON !== '1', 'desktop e2e is opt-in: DOSSIER_E2E_ELECTRON=1 npm run test:electron (needs the Electron binary)');

let app: ElectronApplication;
let win: Page;
let home: string;
let closed = false;

/** The CLI against the app's data directory: what the desktop wrote is really in SQLite. */
function cli(args: string[]): unknown {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dossier'), '--data-dir', home, '--json', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dossier ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

test.beforeEach(async () => {
  for (const built of ['dist-electron/main/electron/main.js', 'dist-electron/preload.cjs', 'renderer/dist/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` (npm run test:electron does)`);
  }
  closed = false;
  home = mkdtempSync(join(tmpdir(), 'dossier-desktop-e2e-'));
  // DOSSIER_HOME moves userData (database, preferences, Chromium profile) to the fresh folder.
  // CI runners have no OS keyring; the key file box is the explicit opt-out (DOSSIER_SECRET_BOX=keyfile).
  const secretBox = process.env.DOSSIER_SECRET_BOX ?? 'keyfile';
  app = await electron.launch({ args: [ROOT], cwd: ROOT, env: { ...process.env, DOSSIER_HOME: home, DOSSIER_SECRET_BOX: secretBox } });
  win = await app.firstWindow();
  await win.waitForLoadState('domcontentloaded');
});

test.afterEach(async () => {
  if (!closed) await app?.close();
  rmSync(home, { recursive: true, force: true });
});

test('the desktop window loads the renderer, sandboxed, with the preload bridge', async () => {
  await expect(win).toHaveTitle('Dossier');
  await expect(win.getByRole('heading', { name: 'Investigations', level: 2 })).toBeVisible();
  const page = await win.evaluate(() => ({
    bridge: typeof window.dossier?.call,
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    protocol: location.protocol,
  }));
  expect(page).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined', protocol: 'file:' });
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0]!;
    return { count: BrowserWindow.getAllWindows().length, visible: w.isVisible() };
  });
  expect(prefs).toEqual({ count: 1, visible: true });
  await win.screenshot({ path: join(SCREENSHOTS, 'desktop-window.png') });
});

test('an investigation created in the desktop window is stored in the data directory', async () => {
  const investigations = new InvestigationsPage(win, { url: '', token: '', dataDir: home, cli: async (args) => cli(args) } satisfies ServedApp);
  await investigations.create({ name: 'Desktop case', description: 'made in Electron' });
  await expect(investigations.row('Desktop case')).toBeVisible();
  const listed = cli(['investigation', 'list']) as { items: Array<{ name: string; description: string }> };
  expect(listed.items).toEqual([expect.objectContaining({ name: 'Desktop case', description: 'made in Electron' })]);
  await win.screenshot({ path: join(SCREENSHOTS, 'desktop-created.png') });
});

test('the page cannot open windows or navigate away, and window state is saved on close', async () => {
  // Non-web URLs: denied and not handed to the OS either (a web URL would open the system browser).
  const denied = await win.evaluate(() => window.open('file:///etc/hostname') === null);
  expect(denied).toBe(true);
  await win.evaluate(() => {
    location.href = 'file:///etc/hostname';
  });
  await win.waitForTimeout(500); // give a navigation the chance to start: it must not
  expect(new URL(win.url()).protocol).toBe('file:');
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

  await app.close();
  closed = true;
  const prefs = JSON.parse(readFileSync(join(home, 'preferences.json'), 'utf8')) as { window: { width: number; height: number } };
  expect(prefs.window.width).toBeGreaterThan(0);
});
