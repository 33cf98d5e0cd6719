import type { Investigation } from './investigations.ts';
import type { BatchCounts, BatchStatus, HostState } from './batches.ts';
import type { RelayRequestSummary } from './relay.ts';
import type { DeliveryStatus } from './webhooks.ts';
import type { SyncConflict } from './sync.ts';

/**
 * Live events pushed from the core to the UI (IPC in Electron, SSE in browser
 * mode). Not webhooks: these are for screens that update as things happen.
 * Each domain adds its own entries here.
 */
export interface CoreEvents {
  'investigation.changed': { id: string; kind: 'created' | 'updated' | 'deleted'; investigation?: Investigation };
  'entities.changed': { investigationId: string; added: number; removed: number };
  /** Live progress of a running batch, at most ~10 per second per batch. ratePerSecond over the last seconds; etaMs null when unknown. */
  'batch.progress': { batchId: string; investigationId: string; status: BatchStatus; counts: BatchCounts; ratePerSecond: number; etaMs: number | null };
  /** A batch was created, changed status or was deleted. */
  'batches.changed': { batchId: string; investigationId: string; kind: 'created' | 'updated' | 'deleted'; status?: BatchStatus };
  'templates.changed': { id: string; kind: 'created' | 'updated' | 'deleted' };
  /** A host's circuit breaker changed state (or it was told to wait by Retry-After). */
  'hosts.changed': { host: HostState };
  /** A request reached the relay (after it was committed), or an action on it finished. */
  'relay.request': { kind: 'received' | 'updated'; request: RelayRequestSummary };
  'relay.endpoints.changed': { id: string; kind: 'created' | 'updated' | 'deleted' };
  /** A channel-fed endpoint's stream connected, dropped or is retrying (relay.status has the details). */
  'relay.channel': { endpointId: string; state: string };
  /** A webhook subscription was created, changed (incl. disabled on 410 or rotated) or deleted. */
  'webhooks.changed': { id: string; kind: 'created' | 'updated' | 'deleted' };
  /** Deliveries were created or changed status; coalesced to at most ~5 per second. */
  'webhooks.deliveries': { webhookIds: string[]; deliveries: { id: string; webhookId: string; status: DeliveryStatus }[] };
  /** A single tool run started or finished. */
  'toolRuns.changed': { investigationId: string; runId: string; tool: string; status: 'running' | 'succeeded' | 'failed' | 'cancelled' };
  /** The active site manifest or the credentials changed. */
  'tools.config.changed': { what: 'sites' | 'credentials' };
  /** A watch was created, changed (status, next run, a run started or ended) or deleted. */
  'watches.changed': { id: string; kind: 'created' | 'updated' | 'deleted'; investigationId: string | null };
  /** A watch run ended with changes against the run before (the desktop raises a notification). */
  'watch.changed': { watchId: string; watchName: string; investigationId: string; runId: string; counts: { new: number; vanished: number; changed: number } };
  /** Site health changed (a check ran; a site became degraded or recovered). */
  'sites.health.changed': { degraded: string[]; recovered: string[]; checked: number };
  /** A verdict was given or cleared. */
  'verdicts.changed': { entityId: string; investigationId: string };
  /** Progress of an export or an import, at most ~10 per second; done/total in rows (entities + links + runs). */
  'report.progress': { jobId: string; investigationId: string | null; kind: 'export' | 'import'; format: string; done: number; total: number };
  /** The team link changed: connected, synced, failed, disconnected. */
  'sync.changed': { kind: 'connected' | 'synced' | 'failed' | 'disconnected'; error?: string };
  /** A sync kept both copies of templates edited here and on the server (toast, Team section). */
  'sync.conflict': { conflicts: SyncConflict[] };
  /**
   * Desktop: the core's own process stopped unexpectedly. Calls it had not answered failed with `unavailable`
   * (they may or may not have been done); `restarting` false when it died too often and Dossier stopped trying.
   */
  'core.crashed': { exitCode: number | null; signal: string | null; restarting: boolean };
  /** Desktop: the core's process is back after a crash; screens re-read what they show. */
  'core.ready': { restarts: number };
}
export type CoreEventName = keyof CoreEvents;
export interface CoreEventEnvelope<K extends CoreEventName = CoreEventName> {
  name: K;
  payload: CoreEvents[K];
}
