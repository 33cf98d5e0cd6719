import type { Contract, MethodName } from './contract/index.ts';
import type { InputOf, OutputOf } from './contract/define.ts';
import type { CoreEventEnvelope } from './contract/events.ts';

/** IPC channel names: one place, used by the preload and the main-process handlers. */
export const IPC = {
  call: 'dossier:call',
  event: 'dossier:event',
  saveExport: 'dossier:saveExport',
} as const;

/** The result envelope of an IPC call: errors cross as data, not thrown Electron errors. */
export type IpcResult<T> = { ok: true; result: T } | { ok: false; error: { code: string; message: string; details?: unknown } };

/** What the preload exposes on `window.dossier`; kept small on purpose. */
export interface DossierBridge {
  call<K extends MethodName>(method: K, input: InputOf<Contract[K]>): Promise<IpcResult<OutputOf<Contract[K]>>>;
  subscribe(listener: (event: CoreEventEnvelope) => void): () => void;
  platform: string;
  /** Desktop only: save a finished export's file through the OS save dialog. */
  saveExport(id: string, name: string): Promise<{ saved: boolean; path?: string }>;
}
