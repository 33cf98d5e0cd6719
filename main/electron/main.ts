import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { createCore, type DossierCore } from '../core/core.ts';
import { DossierError } from '../../preload/contract/errors.ts';
import { SafeStorageSecretBox } from './safe-storage-box.ts';
import { ShellPreferences } from './preferences.ts';
import { createMainWindow, hardenContents, hardenSession } from './window.ts';
import { registerIpc } from './ipc.ts';
import { rendererFileUrl } from './trusted-sender.ts';

// DOSSIER_HOME moves everything (database, preferences, Chromium profile) like it does
// for the CLI; set before `ready`, when Electron fixes its profile directory.
if (process.env.DOSSIER_HOME) app.setPath('userData', process.env.DOSSIER_HOME);
// Every renderer is sandboxed, whatever a BrowserWindow option says.
app.enableSandbox();

// The app root holds package.json, renderer/dist and dist-electron (also inside app.asar).
const appRoot = app.getAppPath();
const indexHtml = join(appRoot, 'renderer', 'dist', 'index.html');
const preloadPath = join(appRoot, 'dist-electron', 'preload.cjs');
// Bundled data (site manifest, disposable domains) ships inside the app as resources/.
process.env.DOSSIER_RESOURCES_DIR ??= join(appRoot, 'resources');

let core: DossierCore | null = null;
let win: BrowserWindow | null = null;
let unwireIpc: (() => void) | null = null;
let quitState: 'running' | 'closing' | 'closed' = 'running';

if (!app.requestSingleInstanceLock()) {
  // Another Dossier owns the database; it gets focused through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  // Any webContents created later (devtools aside) gets the same navigation rules.
  app.on('web-contents-created', (_event, contents) => {
    if (core) hardenContents(contents, core.ctx.log);
  });

  app.on('before-quit', (event) => {
    if (quitState === 'closed' || !core) return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    unwireIpc?.();
    core
      .close()
      .catch((err: unknown) => core?.ctx.log.error({ err }, 'closing the core failed'))
      .finally(() => {
        quitState = 'closed';
        app.quit();
      });
  });

  app.on('window-all-closed', () => {
    // macOS apps stay in the dock without windows; the core keeps running for 'activate'.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (core && (!win || win.isDestroyed())) win = openWindow(core);
  });

  app.whenReady().then(start, fail);
}

function openWindow(c: DossierCore): BrowserWindow {
  return createMainWindow({ preloadPath, indexHtml, prefs, log: c.ctx.log, devTools: !app.isPackaged });
}

let prefs: ShellPreferences;

async function start(): Promise<void> {
  try {
    hardenSession();
    prefs = new ShellPreferences();
    const secrets = SafeStorageSecretBox.create();
    core = await createCore({ dataDir: app.getPath('userData'), mode: 'electron', secrets });
    unwireIpc = registerIpc(core, () => win, rendererFileUrl(indexHtml));
    win = openWindow(core);
    await core.startWorkers();
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown): void {
  const message = DossierError.is(err) || err instanceof Error ? err.message : String(err);
  dialog.showErrorBox('Dossier cannot start', message);
  const closing = core?.close() ?? Promise.resolve();
  void closing.finally(() => app.exit(1));
}
