import { join } from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { wireWatchNotifications } from './watch-notifications.ts';
import { CoreHostClient } from '../core/host/client.ts';
import type { HostInit } from '../core/host/protocol.ts';
import { createLogger } from '../core/log.ts';
import { DossierError } from '../../preload/contract/errors.ts';
import { keychainKey, migrateSafeStorageSecrets } from './keychain-key.ts';
import { spawnUtilityHost } from './host-process.ts';
import { ShellPreferences } from './preferences.ts';
import { createMainWindow, hardenContents, hardenSession } from './window.ts';
import { registerIpc } from './ipc.ts';
import { RENDERER_URL } from './app-protocol.ts';
import { registerAppScheme, serveAppProtocol } from './app-protocol-handler.ts';
import { electronPdf } from './pdf.ts';

// DOSSIER_HOME moves everything (database, preferences, Chromium profile) like it does
// for the CLI; set before `ready`, when Electron fixes its profile directory.
if (process.env.DOSSIER_HOME) app.setPath('userData', process.env.DOSSIER_HOME);
// Every renderer is sandboxed, whatever a BrowserWindow option says.
app.enableSandbox();
// The renderer comes from app://dossier/, never file:// (the scheme must be registered before `ready`).
registerAppScheme();

// The app root holds package.json, renderer/dist and dist-electron (also inside app.asar).
const appRoot = app.getAppPath();
const rendererDir = join(appRoot, 'renderer', 'dist');
const preloadPath = join(appRoot, 'dist-electron', 'preload.cjs');
// Bundled data (site manifest, disposable domains) ships inside the app as resources/.
process.env.DOSSIER_RESOURCES_DIR ??= join(appRoot, 'resources');

// The core host's entry, compiled beside this file (dist-electron/main/electron/core-host.js).
const hostEntry = fileURLToPath(new URL('./core-host.js', import.meta.url));

const log = createLogger();
let prefs: ShellPreferences;
let core: CoreHostClient | null = null;
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

  // Every webContents the app creates (devtools included) gets the same navigation rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, log));

  app.on('before-quit', (event) => {
    if (quitState === 'closed' || !core) return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    unwireIpc?.();
    // The core process finishes its calls, stops its workers and closes the database, then exits.
    core
      .shutdown()
      .then((exit) => {
        if (exit.code !== 0) log.error({ exit }, 'the core process did not close cleanly');
      })
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
    if (core && (!win || win.isDestroyed())) win = openWindow();
  });

  app.whenReady().then(start, fail);
}

function openWindow(): BrowserWindow {
  return createMainWindow({ preloadPath, rendererUrl: RENDERER_URL, prefs, log, devTools: !app.isPackaged });
}

/**
 * How the core process seals secrets: with a key kept sealed by the OS keychain, or — only when the
 * user asks for it with DOSSIER_SECRET_BOX=keyfile — the AES-256-GCM key file the CLI and browser
 * mode use (for machines without a keyring, such as CI runners). Never a silent downgrade.
 */
function secretsFor(dataDir: string): Pick<HostInit, 'secretKey' | 'secretKind'> {
  if (process.env.DOSSIER_SECRET_BOX === 'keyfile') return {};
  try {
    const key = keychainKey(dataDir);
    const moved = migrateSafeStorageSecrets(dataDir, key);
    if (moved) log.info({ moved }, 'secrets sealed by safeStorage re-sealed with the keychain-wrapped key');
    return { secretKey: key.toString('base64'), secretKind: 'safestorage' };
  } catch (err) {
    if (!DossierError.is(err)) throw err;
    throw new DossierError(err.code, `${err.message}. To use a key file instead (as the dossier CLI does), start with DOSSIER_SECRET_BOX=keyfile.`);
  }
}

async function start(): Promise<void> {
  try {
    serveAppProtocol(session.defaultSession, rendererDir);
    hardenSession(RENDERER_URL);
    prefs = new ShellPreferences();
    const dataDir = app.getPath('userData');
    // The core runs in its own process; this one keeps the window, menus, IPC and what only it can do (PDFs, keychain).
    const client = new CoreHostClient({
      spawn: () => spawnUtilityHost(hostEntry),
      init: { dataDir, mode: 'electron', ...secretsFor(dataDir), facePdf: true, workers: true },
      pdf: electronPdf(),
      log,
    });
    core = client;
    await client.start();
    unwireIpc = registerIpc(client, { dataDir, log }, () => win, RENDERER_URL);
    wireWatchNotifications(client, () => win);
    win = openWindow();
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown): void {
  const message = DossierError.is(err) || err instanceof Error ? err.message : String(err);
  dialog.showErrorBox('Dossier cannot start', message);
  const closing = core?.shutdown() ?? Promise.resolve();
  void closing.finally(() => app.exit(1));
}
