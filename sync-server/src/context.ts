import type { Logger } from 'pino';
import type { SyncStore } from './db/open.ts';
import type { Metrics } from './metrics.ts';
import type { Limits } from './rate-limit.ts';
import type { ChannelSignal } from './channels/signal.ts';
import type { DeliveryOptions, TeamDeliveryWorker } from './webhooks/worker.ts';

export interface ServerConfig {
  /** Base URL channel addresses are given with (SYNC_PUBLIC_URL). */
  publicUrl: string | null;
  /** Default body limit in bytes (SYNC_BODY_LIMIT). */
  bodyLimit: number;
  /** Express `trust proxy` (SYNC_TRUST_PROXY): hop count, `true`, or a list of addresses. */
  trustProxy: boolean | number | string;
  /** API requests per member per minute, and failed authentications per address per minute. */
  rateLimit: { perMember: number; authFailuresPerIp: number; perChannel?: number; perHookSource?: number };
  /** SSE heartbeat period (SPEC: 20 s) and rows per catch-up read; tests shorten them. */
  heartbeatMs?: number;
  streamPage?: number;
  /** Team webhook delivery on this instance (SYNC_DELIVERY_CONCURRENCY, SYNC_DELIVERY_LEASE_MS, SYNC_ALLOW_SUBNETS). */
  delivery: { concurrency: number; leaseMs: number; pollMs: number; allowSubnets: string[] };
}

/** A repeating timer; injected so tests fire heartbeats themselves. Returns its stop function. */
export type Every = (ms: number, fn: () => void) => () => void;

/** What every router receives; built once per server. */
export interface ServerContext {
  store: SyncStore;
  config: ServerConfig;
  log: Logger;
  metrics: Metrics;
  limits: Limits;
  /** Wakes channel streams when a request is stored (LISTEN/NOTIFY on PostgreSQL). */
  channelSignal: ChannelSignal;
  every: Every;
  /** Ends each open channel stream (on shutdown). */
  streams: Set<() => void>;
  deliveries: { worker: TeamDeliveryWorker; options: DeliveryOptions; version: string };
  now(): number;
}

export interface Caller {
  teamId: string;
  teamName: string;
  memberId: string;
  memberName: string;
  role: 'admin' | 'member';
}
