import type { Investigation } from './investigations.ts';

/**
 * Live events pushed from the core to the UI (IPC in Electron, SSE in browser
 * mode). Not webhooks: these are for screens that update as things happen.
 * Each domain adds its own entries here.
 */
export interface CoreEvents {
  'investigation.changed': { id: string; kind: 'created' | 'updated' | 'deleted'; investigation?: Investigation };
  'entities.changed': { investigationId: string; added: number; removed: number };
}
export type CoreEventName = keyof CoreEvents;
export interface CoreEventEnvelope<K extends CoreEventName = CoreEventName> {
  name: K;
  payload: CoreEvents[K];
}
