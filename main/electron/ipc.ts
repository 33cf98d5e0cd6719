import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC } from '../../preload/bridge.ts';
import type { DossierCore } from '../core/core.ts';
import { callCore, refusedSender } from './call-core.ts';
import { isTrustedSender } from './trusted-sender.ts';
import { saveExport } from './save-export.ts';

/**
 * Wire the core to the window: calls come in on IPC.call (sender checked first, input
 * validated by the core), core events go out on IPC.event. Returns the unwiring function.
 */
export function registerIpc(core: DossierCore, getWindow: () => BrowserWindow | null, rendererUrl: string): () => void {
  const log = core.ctx.log;

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
    return callCore(core, method, input, log);
  });

  ipcMain.handle(IPC.saveExport, async (event: IpcMainInvokeEvent, id: unknown, name: unknown) => {
    const win = getWindow();
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      { hasFrame: frame !== null, isMainFrame: frame !== null && frame.parent === null, fromOurWindow: win !== null && !win.isDestroyed() && event.sender.id === win.webContents.id, frameUrl: frame?.url ?? '' },
      rendererUrl,
    );
    if (!trusted) return { saved: false };
    return saveExport(core, win, id, name);
  });

  const unsubscribe = core.bus.subscribe((envelope) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC.event, envelope);
  });

  return () => {
    ipcMain.removeHandler(IPC.call);
    ipcMain.removeHandler(IPC.saveExport);
    unsubscribe();
  };
}
