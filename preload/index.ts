import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC, type DossierBridge } from './bridge.ts';
import type { CoreEventEnvelope } from './contract/events.ts';

// Only these functions cross into the page; no ipcRenderer, no Node.
const api = {
  call: (method, input) => ipcRenderer.invoke(IPC.call, method, input),
  subscribe(listener) {
    const handler = (_e: IpcRendererEvent, event: CoreEventEnvelope) => listener(event);
    ipcRenderer.on(IPC.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC.event, handler);
    };
  },
  platform: process.platform,
  saveExport: (id, name) => ipcRenderer.invoke(IPC.saveExport, id, name),
} satisfies DossierBridge;

contextBridge.exposeInMainWorld('dossier', api);

/** The renderer derives `window.dossier`'s type from this, never restating it. */
export type PreloadApi = typeof api;
