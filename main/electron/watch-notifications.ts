import { Notification, type BrowserWindow } from 'electron';
import type { DossierCore } from '../core/core.ts';

/**
 * A watch run with changes raises a native notification (also when the
 * window is closed or hidden; the core keeps running); clicking it opens the
 * run's diff in the window. Returns the unwiring function.
 */
export function wireWatchNotifications(core: DossierCore, getWindow: () => BrowserWindow | null): () => void {
  return core.bus.on('watch.changed', (e) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({
      title: `Watch “${e.watchName}” changed`,
      body: `${e.counts.new} new, ${e.counts.vanished} vanished, ${e.counts.changed} changed`,
    });
    n.on('click', () => {
      const win = getWindow();
      if (!win || win.isDestroyed()) return;
      win.show();
      // The renderer routes by hash/path; the watch page shows the run's diff.
      void win.webContents.executeJavaScript(`window.history.pushState({}, '', '/watches/${encodeURIComponent(e.watchId)}/runs/${encodeURIComponent(e.runId)}'); window.dispatchEvent(new PopStateEvent('popstate'));`);
    });
    n.show();
  });
}
