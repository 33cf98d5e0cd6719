import type SQLite from 'better-sqlite3';
import type { Agent } from 'undici';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import type { DeliveryStatus } from '../../../preload/contract/webhooks.ts';
import { newId } from '../util/ids.ts';
import { writeTx } from '../db/write.ts';
import { ConfigCache } from './config.ts';
import { DeliveryWorker, type DeliveryHost } from './delivery-worker.ts';
import { OutboxDispatcher } from './dispatcher.ts';
import { buildHeaders } from './delivery/headers.ts';
import { HookCache, type LiveWebhook } from './hooks.ts';
import { deliveryBody } from './delivery/payload.ts';
import { recordRows, type Finished, type RecordResult, type RecordedAttempt } from './record.ts';
import { sendAttempt } from './delivery/send.ts';
import { sign } from './delivery/signing.ts';
import { guardedAgent, openAgent, type Resolver } from './delivery/ssrf.ts';
import { deliveryStatements, type Claimed, type DeliveryStatements } from './statements.ts';

export { deliveryId } from './dispatcher.ts';
export type { LiveWebhook } from './hooks.ts';
export type { RecordedAttempt } from './record.ts';

export interface EngineOptions {
  /** DNS for the SSRF guard; tests inject names that resolve to private ranges. */
  resolver?: Resolver;
  /** How often an idle worker looks for work written by another process. */
  pollMs?: number;
  /** Random source for retry jitter. */
  random?: () => number;
  /**
   * How long a worker's claim holds without renewal. The worker renews its
   * claims every third of it, so a crashed worker's deliveries go out again
   * within about this long after the next start.
   */
  leaseMs?: number;
}

/** A one-off claim (test, replay) outlives its request's timeout by this much. */
const LEASE_MARGIN_MS = 30_000;
const DEFAULT_LEASE_MS = 15_000;
const NOTIFY_EVERY_MS = 200;

/**
 * The SQLite side of outbound webhooks: a dispatcher (dispatcher.ts) that fans
 * outbox events out to deliveries, and a worker (delivery-worker.ts) that
 * claims due deliveries, signs and sends them, and records every attempt
 * (record.ts). The signing, headers, schedule, classification and SSRF guard
 * it uses are storage independent.
 */
export class WebhookEngine implements DeliveryHost {
  readonly config: ConfigCache;
  readonly sqlite: SQLite.Database;
  readonly st: DeliveryStatements;
  readonly hooks: HookCache;
  readonly pollMs: number;
  readonly random: () => number;
  readonly leaseMs: number;
  private guarded: Agent | null = null;
  private open: Agent | null = null;
  private readonly outbox: OutboxDispatcher;
  private readonly delivery: DeliveryWorker;
  private notes = new Map<string, { id: string; webhookId: string; status: DeliveryStatus }>();
  private noteTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly ctx: CoreContext,
    private readonly opts: EngineOptions = {},
  ) {
    this.sqlite = ctx.sqlite;
    this.pollMs = opts.pollMs ?? 250;
    this.random = opts.random ?? Math.random;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.config = new ConfigCache(ctx.sqlite);
    this.st = deliveryStatements(this.sqlite);
    this.hooks = new HookCache(this.st, ctx.clock, (sealed) => ctx.secrets.decrypt(sealed));
    this.outbox = new OutboxDispatcher(
      ctx,
      this.sqlite,
      this.st,
      this.pollMs,
      (created) => {
        for (const c of created) this.note(c.id, c.webhookId, 'pending');
        this.nudge();
      },
      () => this.closed,
    );
    this.delivery = new DeliveryWorker(this);
  }

  get dispatcher(): BackgroundWorker {
    return this.outbox.worker;
  }

  get worker(): BackgroundWorker {
    return this.delivery.worker;
  }

  isClosed(): boolean {
    return this.closed;
  }

  // ---------------------------------------------------------------- webhooks

  /** Every webhook, parsed; cached briefly because another process may change them. */
  liveHooks(now = this.ctx.clock.now()): Map<string, LiveWebhook> {
    return this.hooks.get(now);
  }

  /** Call after any change to the webhooks table made in this process. */
  invalidate(): void {
    this.hooks.forget();
    this.config.invalidate();
    this.nudge();
  }

  agent(allowPrivate: boolean): Agent {
    if (allowPrivate) return (this.open ??= openAgent());
    return (this.guarded ??= guardedAgent({ resolver: this.opts.resolver }));
  }

  /** Fan out one page of undispatched outbox events; returns how many events it took. */
  dispatchOnce(): number {
    return this.outbox.dispatchOnce();
  }

  /** Look for work now (new deliveries, a change of settings or webhooks). */
  nudge(): void {
    this.delivery.nudge();
  }

  /** Headers for one attempt: a fresh timestamp and signatures each time, the event id as the stable webhook-id. */
  headersFor(row: Claimed, hook: LiveWebhook): Record<string, string> {
    const ts = Math.floor(this.ctx.clock.now() / 1000);
    const previous = hook.previous && (hook.previousExpiresAt ?? 0) > ts * 1000 ? hook.previous : null;
    return buildHeaders({
      version: this.ctx.version,
      webhookId: row.event_id,
      event: row.event_type,
      timestampSec: ts,
      signatures: sign({ current: hook.current, previous }, row.event_id, ts, row.payload),
      custom: hook.headers,
    });
  }

  async record(batch: Finished[]): Promise<RecordedAttempt[]> {
    const now = this.ctx.clock.now();
    const rec = await writeTx(this.ctx, () => recordRows(this.st, this.config, this.random, batch, now));
    this.afterRecord(rec);
    return rec.out;
  }

  /** After the commit: live events, and forget cached webhooks a 410 disabled. */
  afterRecord({ out, disabled }: RecordResult): void {
    for (const r of out) this.note(r.deliveryId, r.webhookId, r.status);
    if (disabled.length) {
      this.hooks.forget();
      for (const id of disabled) this.ctx.bus.emit('webhooks.changed', { id, kind: 'updated' });
    }
  }

  // ------------------------------------------------ synchronous (test, replay)

  /**
   * Attempt one delivery now, outside the worker (test deliveries and
   * replays), and record it before returning.
   */
  async attemptNow(mode: 'claim' | 'replay', deliveryId: string, opts: { noRetry?: boolean } = {}): Promise<RecordedAttempt | null> {
    const now = this.ctx.clock.now();
    const row0 = this.sqlite.prepare<[string], { webhook_id: string }>('select webhook_id from deliveries where id = ?').get(deliveryId);
    if (!row0) return null;
    this.hooks.forget();
    const hook = this.liveHooks(now).get(row0.webhook_id);
    if (!hook) return null;
    const stmt = mode === 'replay' ? this.st.claimReplay : this.st.claimOne;
    const row = await writeTx(this.ctx, () => stmt.get(now + hook.timeoutMs + LEASE_MARGIN_MS, newId('clm'), now, deliveryId));
    if (!row) return null;
    this.note(row.id, row.webhook_id, 'delivering');
    const headers = this.headersFor(row, hook);
    const result = await sendAttempt(
      { url: hook.url, body: row.payload, headers, timeoutMs: hook.timeoutMs, dispatcher: this.agent(hook.allowPrivateNetwork) },
      this.ctx.clock.now,
    );
    if (this.closed) return null;
    return (await this.record([{ row, headers, result, noRetry: opts.noRetry ?? false }]))[0] ?? null;
  }

  /** A delivery of `webhook.test` to one webhook, whatever it subscribes to; attempted once, now. */
  async testDelivery(hookId: string, data: unknown): Promise<RecordedAttempt & { deliveryId: string }> {
    const now = this.ctx.clock.now();
    const eventId = newId('evt');
    const id = newId('dlv');
    const body = deliveryBody({ id: eventId, type: 'webhook.test', createdAt: now, dataJson: JSON.stringify(data) }, hookId);
    // Inserted already claimed-looking (next_attempt_at null) so the worker never takes it.
    this.sqlite
      .prepare(
        `insert into deliveries (id, event_id, webhook_id, event_type, payload, status, attempts, chain, next_attempt_at, created_at, updated_at)
         values (?, ?, ?, 'webhook.test', ?, 'pending', 0, 0, null, ?, ?)`,
      )
      .run(id, eventId, hookId, body, now, now);
    const rec = await this.attemptNow('claim', id, { noRetry: true });
    if (!rec) throw new Error('test delivery could not be claimed');
    return { ...rec, deliveryId: id };
  }

  // ------------------------------------------------------------------ events

  note(id: string, webhookId: string, status: DeliveryStatus): void {
    this.notes.set(id, { id, webhookId, status });
    if (this.noteTimer || this.closed) return;
    this.noteTimer = setTimeout(() => {
      this.noteTimer = null;
      const list = [...this.notes.values()];
      this.notes = new Map();
      if (list.length === 0) return;
      this.ctx.bus.emit('webhooks.deliveries', { webhookIds: [...new Set(list.map((n) => n.webhookId))], deliveries: list.slice(-200) });
    }, NOTIFY_EVERY_MS);
    this.noteTimer.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.outbox.stop();
    if (this.delivery.running) await this.delivery.stop();
    this.closed = true;
    if (this.noteTimer) clearTimeout(this.noteTimer);
    await Promise.all([this.guarded?.close(), this.open?.close()]);
  }
}
