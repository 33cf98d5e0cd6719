import type SQLite from 'better-sqlite3';
import type { Agent } from 'undici';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import type { DeliveryStatus } from '../../../preload/contract/webhooks.ts';
import { newId } from '../util/ids.ts';
import { parseJson } from '../util/json.ts';
import { ConfigCache } from './config.ts';
import { buildHeaders } from './headers.ts';
import { deliveryBody } from './payload.ts';
import { nextDelayMs } from './schedule.ts';
import { sendAttempt, type AttemptResult } from './send.ts';
import { sign, signingKey, type SigningKey } from './signing.ts';
import { guardedAgent, openAgent, type Resolver } from './ssrf.ts';
import type { DeliveriesTable, WebhooksTable } from './tables.ts';

/** A delivery is one (event, webhook) pair; its id says so. */
export function deliveryId(eventId: string, webhookId: string): string {
  return `dlv_${eventId.slice(eventId.indexOf('_') + 1)}_${webhookId.slice(webhookId.indexOf('_') + 1)}`;
}

/** Only the holder of a delivery's claim records its attempt, so (delivery, chain, number) names it. */
function attemptId(deliveryId: string, chain: number, number: number): string {
  return `att_${deliveryId.slice(4)}.${chain}.${number}`;
}

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

/** A webhook as the worker needs it: parsed, with its signing keys ready. */
export interface LiveWebhook {
  id: string;
  url: string;
  events: Set<string>;
  headers: Record<string, string>;
  active: boolean;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  current: SigningKey;
  previous: SigningKey | null;
  previousExpiresAt: number | null;
}

type Claimed = Pick<DeliveriesTable, 'id' | 'event_id' | 'webhook_id' | 'event_type' | 'payload' | 'attempts' | 'chain' | 'claim_id'>;

interface Finished {
  row: Claimed;
  headers: Record<string, string>;
  result: AttemptResult;
  /** Test deliveries are one-shot: a failure is final. */
  noRetry: boolean;
}

export interface RecordedAttempt {
  deliveryId: string;
  webhookId: string;
  status: DeliveryStatus;
  result: AttemptResult;
}

/** A one-off claim (test, replay) outlives its request's timeout by this much. */
const LEASE_MARGIN_MS = 30_000;
const DEFAULT_LEASE_MS = 15_000;
const DISPATCH_BATCH = 500;
const NOTIFY_EVERY_MS = 200;
/** Completions gathered before a tick runs without waiting. */
const GATHER_RESULTS = 64;
/** How long completions may gather before they are committed. */
const GATHER_MS = 5;

/**
 * The SQLite side of outbound webhooks: a dispatcher that fans outbox events
 * out to deliveries, and a worker that claims due deliveries, signs and sends
 * them, and records every attempt. The signing, headers, schedule,
 * classification and SSRF guard it uses are storage independent.
 */
export class WebhookEngine {
  readonly config: ConfigCache;
  private readonly sqlite: SQLite.Database;
  private readonly pollMs: number;
  private readonly random: () => number;
  private guarded: Agent | null = null;
  private open: Agent | null = null;
  private readonly keyCache = new Map<string, SigningKey>();
  private hooks: Map<string, LiveWebhook> | null = null;
  private hooksAt = 0;

  // Worker state.
  private running = false;
  private tickQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly perHook = new Map<string, number>();
  /** Claimed rows waiting for a free slot of their webhook, so a finished request is followed at once. */
  private readonly queued = new Map<string, Claimed[]>();
  private results: Finished[] = [];
  private readonly released = new Set<string>();
  private lastReclaim = 0;
  private lastRenew = 0;
  private readonly leaseMs: number;
  private lastArm = 0;

  // Dispatcher state.
  private dispatching = false;
  private dispatchTimer: NodeJS.Timeout | null = null;

  private notes = new Map<string, { id: string; webhookId: string; status: DeliveryStatus }>();
  private noteTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private readonly st;

  constructor(
    private readonly ctx: CoreContext,
    private readonly opts: EngineOptions = {},
  ) {
    this.sqlite = ctx.sqlite;
    this.pollMs = opts.pollMs ?? 250;
    this.random = opts.random ?? Math.random;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.config = new ConfigCache(ctx.sqlite);
    const db = this.sqlite;
    this.st = {
      allHooks: db.prepare<[], WebhooksTable>('select * from webhooks'),
      pendingOutbox: db.prepare<[number], { seq: number; id: string; type: string; payload: string; created_at: number }>(
        'select seq, id, type, payload, created_at from outbox where dispatched_at is null order by seq limit ?',
      ),
      activeSubs: db.prepare<[], { id: string; events: string; created_at: number }>('select id, events, created_at from webhooks where active = 1'),
      insertDelivery: db.prepare(
        `insert or ignore into deliveries (id, event_id, webhook_id, event_type, payload, status, attempts, chain, next_attempt_at, created_at, updated_at)
         values (?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?, ?)`,
      ),
      markDispatched: db.prepare<[number, number]>('update outbox set dispatched_at = ? where dispatched_at is null and seq <= ?'),
      claim: db.prepare<[number, string, number, string, number, number], Claimed>(
        `update deliveries set status = 'delivering', lease_until = ?, claim_id = ?, updated_at = ?
         where id in (select id from deliveries where webhook_id = ? and status in ('pending','failed') and next_attempt_at <= ?
                      order by next_attempt_at limit ?)
         returning id, event_id, webhook_id, event_type, payload, attempts, chain, claim_id`,
      ),
      nextDue: db.prepare<[number], { at: number | null }>(
        `select min(next_attempt_at) as at from deliveries
         where status in ('pending','failed') and next_attempt_at > ? and webhook_id in (select id from webhooks where active = 1)`,
      ),
      reclaim: db.prepare<[number, number, number]>(
        `update deliveries set status = 'pending', lease_until = null, claim_id = null, next_attempt_at = ?, updated_at = ?
         where webhook_id in (select id from webhooks) and status = 'delivering' and lease_until < ?`,
      ),
      renew: db.prepare<[number, string]>(`update deliveries set lease_until = ? where claim_id = ? and status = 'delivering'`),
      release: db.prepare<[number, number, string, string]>(
        `update deliveries set status = 'pending', lease_until = null, claim_id = null, next_attempt_at = ?, updated_at = ?
         where id = ? and claim_id = ? and status = 'delivering'`,
      ),
      insertAttempt: db.prepare(
        `insert into delivery_attempts (id, delivery_id, webhook_id, chain, number, started_at, duration_ms, request_headers,
           status_code, response_headers, response_body, error_code, error)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      finish: db.prepare(
        `update deliveries set status = ?, attempts = ?, next_attempt_at = ?, lease_until = null, claim_id = null,
           last_status_code = ?, last_latency_ms = ?, last_error = ?, updated_at = ?
         where id = ? and claim_id = ?`,
      ),
      disable: db.prepare<[string, number, string]>('update webhooks set active = 0, disabled_reason = ?, updated_at = ? where id = ? and active = 1'),
      claimOne: db.prepare<[number, string, number, string], Claimed>(
        `update deliveries set status = 'delivering', lease_until = ?, claim_id = ?, updated_at = ?
         where id = ? and status != 'delivering'
         returning id, event_id, webhook_id, event_type, payload, attempts, chain, claim_id`,
      ),
      claimReplay: db.prepare<[number, string, number, string], Claimed>(
        `update deliveries set status = 'delivering', chain = chain + 1, attempts = 0, next_attempt_at = null,
           lease_until = ?, claim_id = ?, updated_at = ?
         where id = ? and status in ('succeeded','failed','dead')
         returning id, event_id, webhook_id, event_type, payload, attempts, chain, claim_id`,
      ),
    };
  }

  // ---------------------------------------------------------------- webhooks

  private key(sealed: string): SigningKey {
    let k = this.keyCache.get(sealed);
    if (!k) {
      k = signingKey(this.ctx.secrets.decrypt(sealed));
      this.keyCache.set(sealed, k);
    }
    return k;
  }

  /** Every webhook, parsed; cached briefly because another process may change them. */
  liveHooks(now = this.ctx.clock.now()): Map<string, LiveWebhook> {
    if (this.hooks && now - this.hooksAt < 1000) return this.hooks;
    const map = new Map<string, LiveWebhook>();
    for (const r of this.st.allHooks.all()) {
      const prevValid = r.previous_secret_sealed !== null && (r.previous_secret_expires_at ?? 0) > now;
      map.set(r.id, {
        id: r.id,
        url: r.url,
        events: new Set(parseJson<string[]>(r.events, [])),
        headers: parseJson<Record<string, string>>(r.headers, {}),
        active: r.active === 1,
        allowPrivateNetwork: r.allow_private_network === 1,
        timeoutMs: r.timeout_ms,
        current: this.key(r.secret_sealed),
        previous: prevValid ? this.key(r.previous_secret_sealed!) : null,
        previousExpiresAt: prevValid ? r.previous_secret_expires_at : null,
      });
    }
    this.hooks = map;
    this.hooksAt = now;
    return map;
  }

  /** Call after any change to the webhooks table made in this process. */
  invalidate(): void {
    this.hooks = null;
    this.config.invalidate();
    this.nudge();
  }

  private agent(allowPrivate: boolean): Agent {
    if (allowPrivate) return (this.open ??= openAgent());
    return (this.guarded ??= guardedAgent({ resolver: this.opts.resolver }));
  }

  // -------------------------------------------------------------- dispatcher

  /** Fan out one page of undispatched outbox events; returns how many events it took. */
  dispatchOnce(): number {
    if (this.closed) return 0;
    const now = this.ctx.clock.now();
    const created: { id: string; webhookId: string }[] = [];
    const taken = this.sqlite
      .transaction(() => {
        const events = this.st.pendingOutbox.all(DISPATCH_BATCH);
        if (events.length === 0) return 0;
        const subs = this.st.activeSubs.all().map((w) => ({ id: w.id, createdAt: w.created_at, events: new Set(parseJson<string[]>(w.events, [])) }));
        for (const ev of events) {
          for (const w of subs) {
            // A subscription hears what happens after it exists, not a backlog the dispatcher had not reached yet.
            if (!w.events.has(ev.type) || ev.created_at < w.createdAt) continue;
            // Derived from the pair, so it is unique, sorts with the event, and costs no random bytes.
            const id = deliveryId(ev.id, w.id);
            const body = deliveryBody({ id: ev.id, type: ev.type, createdAt: ev.created_at, dataJson: ev.payload }, w.id);
            const res = this.st.insertDelivery.run(id, ev.id, w.id, ev.type, body, now, now, now);
            if (res.changes > 0) created.push({ id, webhookId: w.id });
          }
        }
        this.st.markDispatched.run(now, events[events.length - 1]!.seq);
        return events.length;
      })
      .immediate();
    if (created.length) {
      for (const c of created) this.note(c.id, c.webhookId, 'pending');
      this.nudge();
    }
    return taken;
  }

  private dispatchLoop = (): void => {
    this.dispatchTimer = null;
    if (!this.dispatching) return;
    let taken = 0;
    try {
      taken = this.dispatchOnce();
    } catch (e) {
      this.ctx.log.error({ err: e }, 'webhook dispatcher failed; retrying');
    }
    // A full page means more is waiting: go again at once, else poll.
    this.dispatchTimer = taken >= DISPATCH_BATCH ? setTimeout(this.dispatchLoop, 0) : setTimeout(this.dispatchLoop, Math.min(this.pollMs, 100));
  };

  readonly dispatcher: BackgroundWorker = {
    name: 'webhooks.dispatcher',
    start: () => {
      this.dispatching = true;
      this.dispatchLoop();
    },
    stop: () => {
      this.dispatching = false;
      if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
      this.dispatchTimer = null;
    },
  };

  // ------------------------------------------------------------------ worker

  readonly worker: BackgroundWorker = {
    name: 'webhooks.delivery',
    start: () => {
      this.running = true;
      this.nudge();
    },
    stop: () => this.stopWorker(),
  };

  /** Look for work now (new deliveries, a change of settings or webhooks). */
  nudge(): void {
    if (!this.running || this.tickQueued) return;
    this.tickQueued = true;
    // While requests are in flight, let completions gather for a moment so one
    // commit records many attempts and tops up the queues.
    const gather = this.inflight.size > 0 && this.results.length < GATHER_RESULTS;
    const run = () => {
      this.tickQueued = false;
      this.tick();
    };
    if (gather) setTimeout(run, GATHER_MS);
    else setImmediate(run);
  }

  private queuedFor(id: string): Claimed[] {
    let q = this.queued.get(id);
    if (!q) this.queued.set(id, (q = []));
    return q;
  }

  private tick(): void {
    if (!this.running || this.closed) return;
    try {
      const now = this.ctx.clock.now();
      const { concurrencyPerWebhook } = this.config.get(now);
      const hooks = this.liveHooks(now);
      const batch = this.results;
      this.results = [];
      // One write transaction per tick: record what finished, hand back what
      // can no longer go (webhook disabled or deleted), claim what is due.
      // Memory changes only after the commit: a rolled-back claim must never be sent.
      let out: ReturnType<WebhookEngine['recordRows']>;
      const reclaim = now - this.lastReclaim >= this.leaseMs / 3;
      const renew = now - this.lastRenew >= this.leaseMs / 3;
      const dropped: string[] = [];
      const claimed: [string, Claimed[]][] = [];
      try {
        out = this.sqlite
          .transaction(() => {
            const rec = this.recordRows(batch, now);
            if (reclaim) this.st.reclaim.run(now, now, now);
            // Keep what this worker holds (queued or in flight) from being taken as abandoned.
            if (renew) for (const claimId of this.heldClaims()) this.st.renew.run(now + this.leaseMs, claimId);
            for (const [id, q] of this.queued) {
              if (hooks.get(id)?.active) continue;
              for (const row of q) this.st.release.run(now, now, row.id, row.claim_id!);
              dropped.push(id);
            }
            for (const hook of hooks.values()) {
              if (!hook.active) continue;
              const queued = this.queued.get(hook.id)?.length ?? 0;
              // Keep up to one extra round queued beyond what is in flight.
              const want = 2 * concurrencyPerWebhook - (this.perHook.get(hook.id) ?? 0) - queued;
              if (want <= 0 || (queued > 0 && want < concurrencyPerWebhook / 2)) continue;
              claimed.push([hook.id, this.st.claim.all(now + this.leaseMs, newId('clm'), now, hook.id, now, want)]);
            }
            return rec;
          })
          .immediate();
      } catch (e) {
        // Nothing was written: keep the finished attempts for the next tick.
        this.results = batch.concat(this.results);
        throw e;
      }
      if (reclaim) this.lastReclaim = now;
      if (renew) this.lastRenew = now;
      for (const id of dropped) this.queued.delete(id);
      for (const [id, rows] of claimed) if (rows.length) this.queuedFor(id).push(...rows);
      this.afterRecord(out);
      for (const id of this.queued.keys()) this.pump(id);
      this.arm(now);
    } catch (e) {
      if (this.closed) return;
      this.ctx.log.error({ err: e }, 'webhook delivery tick failed; retrying');
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.nudge();
      }, this.pollMs);
    }
  }

  /**
   * Wake for the next retry that falls due. Work due now but held back by a
   * full webhook resumes when one of its requests ends; while requests are in
   * flight their completions tick anyway, so the lookup runs only now and then.
   */
  private arm(now: number): void {
    // Skipping the lookup is fine, but a wake-up must always be pending: it also renews the claims held.
    if (this.inflight.size > 0 && now - this.lastArm < 50 && this.timer) return;
    this.lastArm = now;
    const next = this.st.nextDue.get(now)?.at ?? null;
    const wait = next === null ? this.pollMs : Math.max(1, Math.min(this.pollMs, next - now));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nudge();
    }, wait);
  }

  private heldClaims(): Set<string> {
    const ids = new Set<string>();
    for (const key of this.inflight.keys()) ids.add(key.slice(0, key.indexOf(':')));
    for (const q of this.queued.values()) for (const row of q) ids.add(row.claim_id!);
    return ids;
  }

  /** Start queued deliveries of one webhook while it has free slots. */
  private pump(hookId: string): void {
    const q = this.queued.get(hookId);
    if (!q || q.length === 0 || !this.running) return;
    const hook = this.liveHooks().get(hookId);
    if (!hook?.active) return; // the next tick hands them back
    const limit = this.config.get().concurrencyPerWebhook;
    while (q.length > 0 && (this.perHook.get(hookId) ?? 0) < limit) this.launch(q.shift()!, hook);
  }

  /** Headers for one attempt: a fresh timestamp and signatures each time, the event id as the stable webhook-id. */
  private prepare(row: Claimed, hook: LiveWebhook): Record<string, string> {
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

  private launch(row: Claimed, hook: LiveWebhook): void {
    this.perHook.set(hook.id, (this.perHook.get(hook.id) ?? 0) + 1);
    const headers = this.prepare(row, hook);
    const claim = row.claim_id! + ':' + row.id;
    const p = sendAttempt({ url: hook.url, body: row.payload, headers, timeoutMs: hook.timeoutMs, dispatcher: this.agent(hook.allowPrivateNetwork) }, this.ctx.clock.now)
      .then((result) => {
        if (!this.released.has(claim)) this.results.push({ row, headers, result, noRetry: false });
      })
      .finally(() => {
        this.perHook.set(hook.id, (this.perHook.get(hook.id) ?? 1) - 1);
        this.inflight.delete(claim);
        this.pump(hook.id);
        this.nudge();
      });
    this.inflight.set(claim, p);
  }

  /** Commit finished attempts now (used when stopping). */
  private flush(): void {
    if (this.results.length === 0 || this.closed) return;
    const batch = this.results;
    this.results = [];
    this.record(batch);
  }

  private record(batch: Finished[]): RecordedAttempt[] {
    const now = this.ctx.clock.now();
    const rec = this.sqlite.transaction(() => this.recordRows(batch, now)).immediate();
    this.afterRecord(rec);
    return rec.out;
  }

  /** Inside a transaction: each attempt, the delivery's new state, and a 410's disable. */
  private recordRows(batch: Finished[], now: number): { out: RecordedAttempt[]; disabled: string[] } {
    const out: RecordedAttempt[] = [];
    const disabled: string[] = [];
    if (batch.length === 0) return { out, disabled };
    const { policy } = this.config.get(now);
    for (const f of batch) {
      const { row, result } = f;
      const number = row.attempts + 1;
      const o = result.outcome;
      let status: DeliveryStatus;
      let nextAt: number | null = null;
      if (o.kind === 'success') status = 'succeeded';
      else if (o.kind === 'retry' && !f.noRetry) {
        const delay = nextDelayMs(policy, number, o.retryAfterMs, this.random);
        if (delay === null) status = 'dead';
        else {
          status = 'failed';
          nextAt = now + delay;
        }
      } else status = 'dead';
      const errorCode = o.kind === 'success' ? null : o.errorCode;
      const error = o.kind === 'success' ? null : o.error;
      // The claim may be gone (webhook deleted, or the lease expired and another worker took it): then this attempt is not ours to record.
      const held = this.st.finish.run(status, number, nextAt, result.statusCode, result.durationMs, error, now, row.id, row.claim_id).changes > 0;
      if (!held) continue;
      this.st.insertAttempt.run(
        attemptId(row.id, row.chain, number),
        row.id,
        row.webhook_id,
        row.chain,
        number,
        result.startedAt,
        result.durationMs,
        JSON.stringify(f.headers),
        result.statusCode,
        JSON.stringify(result.responseHeaders),
        result.responseBody,
        errorCode,
        error,
      );
      if (o.kind === 'gone' && this.st.disable.run(o.error, now, row.webhook_id).changes > 0) disabled.push(row.webhook_id);
      out.push({ deliveryId: row.id, webhookId: row.webhook_id, status, result });
    }
    return { out, disabled };
  }

  /** After the commit: live events, and forget cached webhooks a 410 disabled. */
  private afterRecord({ out, disabled }: { out: RecordedAttempt[]; disabled: string[] }): void {
    for (const r of out) this.note(r.deliveryId, r.webhookId, r.status);
    if (disabled.length) {
      this.hooks = null;
      for (const id of disabled) this.ctx.bus.emit('webhooks.changed', { id, kind: 'updated' });
    }
  }

  private async stopWorker(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = [...this.inflight.values()];
    if (pending.length) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(pending), new Promise((r) => (timeout = setTimeout(r, 3_000)))]);
      clearTimeout(timeout);
    }
    this.flush();
    // Queued, or still in flight after the grace period: hand back without counting an attempt, so they go out on the next start.
    if (!this.closed) {
      const now = this.ctx.clock.now();
      for (const q of this.queued.values()) for (const row of q) this.st.release.run(now, now, row.id, row.claim_id!);
      this.queued.clear();
      for (const claim of this.inflight.keys()) {
        this.released.add(claim);
        const [claimId, rowId] = claim.split(':');
        this.st.release.run(now, now, rowId!, claimId!);
      }
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
    this.hooks = null;
    const hook = this.liveHooks(now).get(row0.webhook_id);
    if (!hook) return null;
    const stmt = mode === 'replay' ? this.st.claimReplay : this.st.claimOne;
    const row = stmt.get(now + hook.timeoutMs + LEASE_MARGIN_MS, newId('clm'), now, deliveryId);
    if (!row) return null;
    this.note(row.id, row.webhook_id, 'delivering');
    const headers = this.prepare(row, hook);
    const result = await sendAttempt({ url: hook.url, body: row.payload, headers, timeoutMs: hook.timeoutMs, dispatcher: this.agent(hook.allowPrivateNetwork) }, this.ctx.clock.now);
    if (this.closed) return null;
    return this.record([{ row, headers, result, noRetry: opts.noRetry ?? false }])[0] ?? null;
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
    this.dispatcher.stop();
    if (this.running) await this.stopWorker();
    this.closed = true;
    if (this.noteTimer) clearTimeout(this.noteTimer);
    await Promise.all([this.guarded?.close(), this.open?.close()]);
  }
}
