import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC, type IpcResult } from '../../preload/bridge.ts';
import type { CoreHostClient } from '../core/host/client.ts';
import type { Logger } from '../core/log.ts';
import { isTrustedSender, refusedSender } from './trusted-sender.ts';
import { saveExport } from './save-export.ts';

/**
 * Wire the core process to the window: calls come in on IPC.call (sender checked here first; the
 * core process checks the method and validates the input), core events go out on IPC.event, and so
 * do the client's own `core.crashed` / `core.ready`. Returns the unwiring function.
 */
export function registerIpc(core: CoreHostClient, shell: { dataDir: string; log: Logger }, getWindow: () => BrowserWindow | null, rendererUrl: string): () => void {
  const { log } = shell;

  ipcMain.handle(IPC.call, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const win = getWindow();
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      {
        hasFrame: frame !== null,
        isMainFrame: frame !== null && frame.parent === null,
        fromOurWindow: win !== null && !win.isDestroyed() && event.sender.id === win.webContents.id,
        frameUrl: frame?.url ?? '',
      },
      rendererUrl,
    );
    if (!trusted) {
      log.warn({ frameUrl: frame?.url, method: typeof method === 'string' ? method : undefined }, 'refused IPC call from an untrusted frame');
      return refusedSender(frame?.url ?? '');
    }
    return core.call(method, input) as Promise<IpcResult<unknown>>;
  });

  ipcMain.handle(IPC.saveExport, async (event: IpcMainInvokeEvent, id: unknown, name: unknown) => {
    const win = getWindow();
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      { hasFrame: frame !== null, isMainFrame: frame !== null && frame.parent === null, fromOurWindow: win !== null && !win.isDestroyed() && event.sender.id === win.webContents.id, frameUrl: frame?.url ?? '' },
      rendererUrl,
    );
    if (!trusted) return { saved: false };
    return saveExport(shell.dataDir, win, id, name);
  });

  const unsubscribe = core.subscribe((envelope) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC.event, envelope);
  });

  return () => {
    ipcMain.removeHandler(IPC.call);
    ipcMain.removeHandler(IPC.saveExport);
    unsubscribe();
  };
}
