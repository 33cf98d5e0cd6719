import { Notification, type BrowserWindow } from 'electron';
import type { CoreHostClient } from '../core/host/client.ts';

/** The renderer's route of a run's diff; the renderer uses a HashRouter, so this goes after the `#`. */
export function diffRoute(watchId: string, runId: string): string {
  return `/watches/${encodeURIComponent(watchId)}/runs/${encodeURIComponent(runId)}`;
}

/**
 * A watch run with changes raises a native notification (also when the
 * window is closed or hidden; the core process keeps running); clicking it opens the
 * run's diff in the window. Returns the unwiring function.
 */
export function wireWatchNotifications(core: CoreHostClient, getWindow: () => BrowserWindow | null): () => void {
  return core.on('watch.changed', (e) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({
      title: `Watch “${e.watchName}” changed`,
      body: `${e.counts.new} new, ${e.counts.vanished} vanished, ${e.counts.changed} changed`,
    });
    n.on('click', () => {
      const win = getWindow();
      if (!win || win.isDestroyed()) return;
      win.show();
      // JSON.stringify makes the route a JS string literal whatever the ids hold.
      void win.webContents.executeJavaScript(`window.location.hash = ${JSON.stringify(diffRoute(e.watchId, e.runId))};`);
    });
    n.show();
  });
}
