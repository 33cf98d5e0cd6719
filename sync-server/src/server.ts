import { createServer, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { openSyncStore, type StoreOptions, type SyncStore } from './db/open.ts';
import { createApp } from './app.ts';
import { createMetrics } from './metrics.ts';
import { createLimits } from './rate-limit.ts';
import type { Every, ServerConfig, ServerContext } from './context.ts';
import { memorySignal, pgSignal } from './channels/signal.ts';
import { parseAllowList } from '../../main/core/webhooks/delivery/ssrf.ts';
import { DEFAULT_RETRY_POLICY } from '../../main/core/webhooks/delivery/schedule.ts';
import { VERSION } from '../../main/core/version.ts';
import { TeamDeliveryWorker, type DeliveryOptions } from './webhooks/worker.ts';
import { createDeliveryMetrics } from './webhooks/metrics.ts';

export interface ServeOptions extends StoreOptions {
  host?: string;
  port?: number;
  config?: Partial<ServerConfig>;
  log?: Logger;
  now?: () => number;
  /** Repeating timer for SSE heartbeats (tests fire them by hand). */
  every?: Every;
  /** node:http server options (tests shorten requestTimeout/headersTimeout to show a stream outlives them). */
  http?: ServerOptions;
  /** Process-wide default metrics (CPU, memory); off in tests that start many servers. */
  defaultMetrics?: boolean;
  /** Delivery seams for tests: retry policy, jitter source, DNS for the SSRF guard. */
  delivery?: Partial<Pick<DeliveryOptions, 'policy' | 'random' | 'resolver'>>;
}

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  store: SyncStore;
  http: Server;
  close(): Promise<void>;
}

const MIB = 1024 * 1024;

/** Settings from the environment (SPEC §3.9), each checked. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<ServerConfig> & { databaseUrl?: string } {
  const out: Partial<ServerConfig> & { databaseUrl?: string } = {};
  if (env.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) throw new Error('DATABASE_URL must be a postgres:// URL');
    out.databaseUrl = env.DATABASE_URL;
  }
  if (env.SYNC_PUBLIC_URL) out.publicUrl = new URL(env.SYNC_PUBLIC_URL).toString().replace(/\/$/, '');
  if (env.SYNC_BODY_LIMIT) {
    const n = Number(env.SYNC_BODY_LIMIT);
    if (!Number.isInteger(n) || n < 1024 || n > 100 * MIB) throw new Error('SYNC_BODY_LIMIT must be a byte count between 1024 and 104857600');
    out.bodyLimit = n;
  }
  if (env.SYNC_TRUST_PROXY !== undefined && env.SYNC_TRUST_PROXY !== '') {
    const v = env.SYNC_TRUST_PROXY;
    out.trustProxy = v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v;
  }
  if (env.SYNC_RATE_LIMIT) {
    const n = Number(env.SYNC_RATE_LIMIT);
    if (!Number.isInteger(n) || n < 1) throw new Error('SYNC_RATE_LIMIT must be a positive integer (requests per member per minute)');
    out.rateLimit = { perMember: n, authFailuresPerIp: Math.max(10, Math.ceil(n / 10)) };
  }
  if (env.SYNC_ALLOW_SUBNETS) {
    const list = env.SYNC_ALLOW_SUBNETS.split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    parseAllowList(list); // throws naming the bad entry
    out.delivery = { ...(out.delivery ?? DELIVERY_DEFAULTS), allowSubnets: list };
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer between ${min} and ${max}`);
    return n;
  };
  const concurrency = int('SYNC_DELIVERY_CONCURRENCY', 0, 1024);
  const leaseMs = int('SYNC_DELIVERY_LEASE_MS', 2000, 600_000);
  if (concurrency !== undefined) out.delivery = { ...(out.delivery ?? DELIVERY_DEFAULTS), concurrency };
  if (leaseMs !== undefined) out.delivery = { ...(out.delivery ?? DELIVERY_DEFAULTS), leaseMs };
  return out;
}

const realEvery: Every = (ms, fn) => {
  const t = setInterval(fn, ms);
  t.unref();
  return () => clearInterval(t);
};
/**
 * The lease outlives the longest webhook timeout (30 s) twice over, and the
 * request timeout is held under half the lease (webhooks/attempt.ts), so a
 * request always ends before another instance may take its delivery over.
 */
const DELIVERY_DEFAULTS: ServerConfig['delivery'] = { concurrency: 64, leaseMs: 60_000, pollMs: 250, allowSubnets: [] };

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const store = await openSyncStore(opts);
  const log = opts.log ?? pino({ level: process.env.SYNC_LOG_LEVEL ?? 'info' });
  const config: ServerConfig = {
    publicUrl: null,
    bodyLimit: MIB,
    trustProxy: false,
    rateLimit: { perMember: 1200, authFailuresPerIp: 60 },
    ...opts.config,
    delivery: { ...DELIVERY_DEFAULTS, ...opts.config?.delivery },
  };
  const channelSignal = store.pool ? await pgSignal(store.pool, log) : memorySignal();
  const now = opts.now ?? Date.now;
  const metrics = createMetrics({ defaults: opts.defaultMetrics });
  const deliveryOptions: DeliveryOptions = {
    ...config.delivery,
    policy: opts.delivery?.policy ?? DEFAULT_RETRY_POLICY,
    random: opts.delivery?.random ?? Math.random,
    resolver: opts.delivery?.resolver,
  };
  const worker = new TeamDeliveryWorker(store, deliveryOptions, {
    now,
    log,
    version: VERSION,
    metrics: createDeliveryMetrics(metrics.registry, store.db, now),
  });
  const ctx: ServerContext = {
    store,
    channelSignal,
    every: opts.every ?? realEvery,
    streams: new Set(),
    config,
    log,
    metrics,
    limits: createLimits(config.rateLimit, store.pool),
    deliveries: { worker, options: deliveryOptions, version: VERSION },
    now,
  };
  const http = createServer(opts.http ?? {}, createApp(ctx));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 8790, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = http.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  if (!config.publicUrl) config.publicUrl = url;
  worker.start();
  let closing: Promise<void> | null = null;
  return {
    url,
    ctx,
    store,
    http,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeIdleConnections();
          // Open streams never go idle: end them (clients resume from their last id) so close() can finish.
          for (const end of ctx.streams) end();
        });
        await channelSignal.close();
        await worker.stop();
        await store.close();
      })();
      return closing;
    },
  };
}
