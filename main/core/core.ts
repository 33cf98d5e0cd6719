import { chmodSync, mkdirSync } from 'node:fs';
import { formatIssues } from './util/format-issues.ts';
import { z } from 'zod';
import { contract, isLocalMethod, isMethodName, unknownMethodError, type Contract, type Handlers, type MethodName } from '../../preload/contract/index.ts';
import type { CallOptions, InputOf, OutputOf } from '../../preload/contract/define.ts';
import { DossierError } from '../../preload/contract/errors.ts';
import type { CoreContext } from './context.ts';
import { openStore, type Store } from './db/open.ts';
import { failOrphanedToolRuns } from './tools/orphans.ts';
import { discardOrphanedStages } from './batch/create.ts';
import { EventBus } from './events/bus.ts';
import { KeyFileSecretBox, type SecretBox } from './crypto/secret-box.ts';
import { createLogger, type Logger } from './log.ts';
import { systemClock, type Clock } from './util/time.ts';
import { dataFiles } from './paths.ts';
import { VERSION } from './version.ts';
import { SettingsService } from './settings/service.ts';
import { createInvestigationHandlers } from './investigations/service.ts';
import { createEntityHandlers } from './entities/service.ts';
import { createGraphHandlers } from './graph/service.ts';
import type { BackgroundWorker } from './workers.ts';
import { uploadSweepWorker } from './batch/uploads.ts';
import { createRelay, type RelayService } from './relay/service.ts';
import type { ChannelConsumerOptions } from './relay/channel-consumer.ts';
import type { ReceiverConfig } from './relay/receiver.ts';
import { ToolRegistry } from './tools/registry.ts';
import { createToolHandlers, setupTools } from './tools/service.ts';
import { WebhookEngine, type EngineOptions } from './webhooks/engine.ts';
import { createWebhookHandlers } from './webhooks/service.ts';
import { Executor } from './batch/executor.ts';
import { createBatchHandlers } from './batch/service.ts';
import { createTemplateHandlers } from './templates/service.ts';
import { createSearchHandlers } from './search/service.ts';
import { WatchScheduler } from './watches/scheduler.ts';
import { createWatchHandlers } from './watches/service.ts';
import { createSiteHealthHandlers } from './site-health/service.ts';
import { createVerdictHandlers } from './verdicts/service.ts';
import { createReportHandlers } from './reports/service.ts';
import type { PdfRenderer } from './reports/pdf.ts';
import { createEgressHandlers } from './egress/service.ts';
import { AnalyticsQueries, createAnalyticsHandlers } from './analytics/service.ts';
import { analyticsRetentionWorker } from './analytics/retention.ts';
import { outboxRetentionWorker } from './events/retention.ts';
import { deliveryRetentionWorker } from './webhooks/retention.ts';
import { SyncEngine } from './sync/engine.ts';
import { SyncWorker, type SyncWorkerOptions } from './sync/worker.ts';
import { createSyncHandlers } from './sync/service.ts';

export interface CoreOptions {
  dataDir: string;
  mode?: CoreContext['mode'];
  /** The desktop passes its safeStorage box; elsewhere the key file box is used. */
  secrets?: SecretBox;
  log?: Logger;
  clock?: Clock;
  /** Webhook delivery engine options (tests inject a DNS resolver and a fast poll). */
  webhooks?: EngineOptions;
  /** PDF printing for exports (the desktop passes Electron's printToPDF; default: system Chromium). */
  pdf?: PdfRenderer;
  /** Channel-fed relay endpoints: reconnect timing and randomness (tests inject them). */
  relayChannels?: ChannelConsumerOptions;
  /** Team sync: the fetch it uses and the background cadence (tests shorten it). */
  sync?: SyncWorkerOptions & { fetch?: typeof fetch };
  /** Where the relay receiver listens when its worker starts (`relay start --host --port`; default: the settings). */
  relay?: ReceiverConfig;
}

export interface DossierCore {
  readonly ctx: CoreContext;
  readonly handlers: Handlers;
  readonly bus: EventBus;
  /**
   * For the faces across a process or network boundary (IPC, HTTP, the core host): check the name,
   * validate untrusted input against the contract, then call the handler. Local methods are refused.
   */
  invoke<K extends MethodName>(method: K, input: unknown, opts?: CallOptions): Promise<OutputOf<Contract[K]>>;
  /** Typed call for trusted in-process callers (CLI, tests); still validated; local methods allowed. */
  call<K extends MethodName>(method: K, input: InputOf<Contract[K]>, opts?: CallOptions): Promise<OutputOf<Contract[K]>>;
  readonly workers: BackgroundWorker[];
  /** Outbound webhook delivery engine (dispatcher + worker); the sync server reuses its parts. */
  readonly webhooks: WebhookEngine;
  /** Local webhook relay: receiver, request log, actions, analytics. */
  readonly relay: RelayService;
  /** Durable batch executor: batches, controls, createBatchFromTemplate for the relay's routing rules. */
  readonly executor: Executor;
  /** Watch scheduler (a background worker; tests drive its tick with an injected clock). */
  readonly watches: WatchScheduler;
  /** Analytics queries of every family (the benchmark times them directly). */
  readonly analytics: AnalyticsQueries;
  /** Team sync server link: push/pull of shared templates. */
  readonly sync: SyncEngine;
  startWorkers(names?: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function createCore(opts: CoreOptions): Promise<DossierCore> {
  // Investigations, the relay log and the key file live here: only the user may list or enter it (SPEC §5).
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(opts.dataDir, 0o700);
  const files = dataFiles(opts.dataDir);
  const store: Store = await openStore(files.database);
  const bus = new EventBus();
  const ctx: CoreContext = {
    db: store.db,
    sqlite: store.sqlite,
    dataDir: opts.dataDir,
    bus,
    secrets: opts.secrets ?? new KeyFileSecretBox(files.keyFile),
    log: opts.log ?? createLogger(),
    clock: opts.clock ?? systemClock,
    settings: new SettingsService(store.db),
    version: VERSION,
    mode: opts.mode ?? 'cli',
    tools: new ToolRegistry(),
  };
  // Single runs whose process died (kill -9) would show `running` forever.
  failOrphanedToolRuns(store.sqlite, ctx.clock.now());
  // And batches a dead process was still importing would hold invisible operations forever.
  await discardOrphanedStages(ctx);
  // Built-in tools are registered before any face can call the core.
  const toolDeps = setupTools(ctx);

  const workers: BackgroundWorker[] = [];
  const executor = new Executor(ctx);
  workers.push(executor);
  const relay = createRelay(ctx, { channels: { fetch: opts.sync?.fetch, ...opts.relayChannels } });
  if (opts.relay) relay.receiver.configure(opts.relay);
  workers.push(...relay.workers);
  // Relay routing rules start batch templates through the executor.
  relay.useExecutor(() => executor);
  const webhooks = new WebhookEngine(ctx, opts.webhooks);
  workers.push(webhooks.dispatcher, webhooks.worker);
  // The outbox and the delivery log are pruned by age (settings events.retention.days, webhooks.retention.days).
  workers.push(outboxRetentionWorker(ctx), deliveryRetentionWorker(ctx));
  const watches = new WatchScheduler(ctx, executor);
  workers.push(watches);
  const analytics = new AnalyticsQueries(ctx.sqlite, relay.analytics);
  workers.push(analyticsRetentionWorker(ctx));
  workers.push(uploadSweepWorker(ctx));
  const sync = new SyncEngine(ctx, opts.sync?.fetch);
  workers.push(new SyncWorker(ctx, sync, opts.sync));

  const handlers: Handlers = {
    ...createInvestigationHandlers(ctx),
    ...createEntityHandlers(ctx),
    ...createToolHandlers(ctx, toolDeps),
    ...relay.handlers,
    ...createGraphHandlers(ctx),
    ...createBatchHandlers(ctx, executor),
    ...createTemplateHandlers(ctx, executor),
    ...createWebhookHandlers(ctx, webhooks),
    ...createSearchHandlers(ctx),
    ...createWatchHandlers(ctx, watches, executor),
    ...createSiteHealthHandlers(ctx, { catalog: toolDeps.sites, reader: toolDeps.siteHealth! }, watches),
    ...createVerdictHandlers(ctx),
    ...createReportHandlers(ctx, { pdf: opts.pdf }),
    ...createEgressHandlers(ctx),
    ...createAnalyticsHandlers(ctx, analytics),
    ...createSyncHandlers(ctx, sync),
    'settings.list': async () => ctx.settings.list(),
    'settings.get': async ({ key }) => ctx.settings.entry(key),
    'settings.set': async ({ key, value }) => ctx.settings.set(key, value),
    'app.info': async () => ({ version: VERSION, dataDir: opts.dataDir, mode: ctx.mode }),
  };

  const started = new Set<string>();
  let closing: Promise<void> | null = null;

  async function dispatch<K extends MethodName>(method: K, input: unknown, opts: CallOptions, local: boolean): Promise<OutputOf<Contract[K]>> {
    if (!isMethodName(method)) throw unknownMethodError(method);
    if (!local && isLocalMethod(method)) {
      throw new DossierError('forbidden', `${method} runs work in the caller's own process; over this face start the work and follow its events instead`);
    }
    const spec = contract[method];
    const parsed = (spec.input as z.ZodType).safeParse(input ?? {});
    if (!parsed.success) {
      throw new DossierError('invalid_input', formatIssues(parsed.error), {
        issues: parsed.error.issues.map(({ path, message, code }) => ({ path, message, code })),
      });
    }
    const fn = handlers[method] as (i: unknown, o: CallOptions) => Promise<OutputOf<Contract[K]>>;
    return fn(parsed.data, opts);
  }

  return {
    ctx,
    handlers,
    bus,
    invoke: (method, input, opts = {}) => dispatch(method, input, opts, false),
    call: (method, input, opts = {}) => dispatch(method, input, opts, true),
    workers,
    webhooks,
    relay,
    executor,
    watches,
    analytics,
    sync,
    async startWorkers(names) {
      for (const w of workers) {
        if (names && !names.includes(w.name)) continue;
        if (started.has(w.name)) continue;
        started.add(w.name);
        await w.start();
      }
    },
    close() {
      closing ??= (async () => {
        for (const w of [...workers].reverse()) {
          if (started.has(w.name)) await w.stop();
        }
        await webhooks.close();
        await store.close();
      })();
      return closing;
    },
  };
}
