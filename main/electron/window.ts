import { BrowserWindow, screen, session, shell, type Session, type WebContents } from 'electron';
import { isAllowedExternalUrl } from './external-url.ts';
import { DESKTOP_CSP } from './csp.ts';
import { isPermissionGranted } from './permissions.ts';
import { MIN_HEIGHT, MIN_WIDTH, placeWindow } from './window-state.ts';
import type { ShellPreferences } from './preferences.ts';
import type { Logger } from '../core/log.ts';

export interface WindowOptions {
  preloadPath: string;
  /** `RENDERER_URL`: the built renderer on the app:// protocol. */
  rendererUrl: string;
  prefs: ShellPreferences;
  log: Logger;
  devTools: boolean;
}

/** The one application window: sandboxed, isolated, loading only the built renderer. */
export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const saved = opts.prefs.get();
  const bounds = placeWindow(
    saved.window,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Dossier',
    backgroundColor: '#1a1b1e',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise ask for a new window; the open handler denies those anyway.
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools,
    },
  });
  win.once('ready-to-show', () => {
    win.webContents.setZoomFactor(saved.zoomFactor);
    // Maximising a hidden window shows it early on some platforms; do it with the show.
    if (saved.window.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    opts.prefs.saveWindowState({ ...win.getNormalBounds(), maximized: win.isMaximized() });
    opts.prefs.saveZoomFactor(win.webContents.getZoomFactor());
  });

  hardenContents(win.webContents, opts.log);
  win.loadURL(opts.rendererUrl).catch((err: unknown) => opts.log.error({ err, rendererUrl: opts.rendererUrl }, 'the renderer did not load'));
  return win;
}

const hardened = new WeakSet<WebContents>();

/**
 * Navigation rules for any webContents the app ever creates: nothing opens inside the
 * app but our renderer. Links to web pages go to the system browser after the URL check.
 */
export function hardenContents(contents: WebContents, log: Logger): void {
  // The window hardens its own contents and app-wide 'web-contents-created' sees them too;
  // twice would open a clicked link twice.
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    // In-app routes change the hash (HashRouter), which is not a navigation; anything else is.
    event.preventDefault();
    openExternally(url, log);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn({ url }, 'blocked a redirect in the app window');
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

function openExternally(url: string, log: Logger): void {
  if (isAllowedExternalUrl(url)) {
    shell.openExternal(url).catch((err: unknown) => log.warn({ err, url }, 'could not open link in the system browser'));
  } else {
    log.warn({ url: url.slice(0, 200) }, 'refused to open a non-web URL');
  }
}

/**
 * Deny every permission (camera, notifications, geolocation, devices, ...) except a
 * clipboard write from our own renderer (see permissions.ts), and add the CSP header.
 */
export function hardenSession(rendererUrl: string, ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details, rendererUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) => isPermissionGranted(permission, details, rendererUrl));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [DESKTOP_CSP],
      },
    });
  });
}
