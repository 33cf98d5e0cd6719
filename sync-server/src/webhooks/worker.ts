import type { Agent } from 'undici';
import type { Logger } from 'pino';
import type { SyncStore } from '../db/open.ts';
import { guardedAgent, type Resolver } from '../../../main/core/webhooks/delivery/ssrf.ts';
import type { RetryPolicy } from '../../../main/core/webhooks/delivery/schedule.ts';
import { newId } from '../tokens.ts';
import { claimDue, recordAttempts, releaseClaims, renewClaims, type ClaimedDelivery, type FinishedAttempt, type RecordOutcome } from './claims.ts';
import { WebhookCache } from './hooks.ts';
import { attemptDelivery } from './attempt.ts';
import type { DeliveryMetrics } from './metrics.ts';

export interface DeliveryOptions {
  /** Requests in flight at most on this instance; 0 = this instance delivers nothing (API only). */
  concurrency: number;
  /** How long a claim holds without renewal; renewed every third of it. */
  leaseMs: number;
  /** How often an idle worker looks for work another instance wrote. */
  pollMs: number;
  /** SYNC_ALLOW_SUBNETS: private subnets webhook destinations may be in. */
  allowSubnets: string[];
  policy: RetryPolicy;
  random: () => number;
  /** DNS for the SSRF guard (tests). */
  resolver?: Resolver;
}

/**
 * Completions gather for a moment so one commit records many attempts (a
 * commit per attempt would be an fsync per delivery); a tick runs at once when
 * this many are waiting or nothing is left in flight.
 */
const GATHER = 16;
const GATHER_MS = 20;

/**
 * The server's delivery loop: claim due deliveries (any team), send them with
 * the desktop's delivery code, record each result fenced by its claim. One tick
 * at a time; each tick is a few short transactions, never one held across a
 * request.
 */
export class TeamDeliveryWorker {
  private running = false;
  private ticking: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly inflight = new Map<string, { row: ClaimedDelivery; p: Promise<void> }>();
  private results: FinishedAttempt[] = [];
  private lastRenew = 0;
  private readonly hooks: WebhookCache;
  private readonly dispatcher: Agent;
  /** Called after each record with what it wrote (tests, live notes). */
  onRecord: (out: RecordOutcome) => void = () => {};

  constructor(
    private readonly store: SyncStore,
    private readonly o: DeliveryOptions,
    private readonly ctx: { now(): number; log: Logger; version: string; metrics: DeliveryMetrics },
  ) {
    this.hooks = new WebhookCache(store.db);
    this.dispatcher = guardedAgent({ resolver: o.resolver, allow: o.allowSubnets, connections: Math.max(8, o.concurrency) });
  }

  /** The guarded dispatcher (SSRF guard with the operator allow-list), shared with synchronous test deliveries. */
  get agent(): Agent {
    return this.dispatcher;
  }

  start(): void {
    if (this.o.concurrency <= 0 || this.running) return;
    this.running = true;
    this.nudge();
  }

  /** Look for work now (an event was published here, a webhook changed). */
  nudge(delayMs = 0): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
    }, delayMs);
  }

  forgetWebhook(id: string): void {
    this.hooks.forget(id);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const now = this.ctx.now();
    let claimed: ClaimedDelivery[] = [];
    let free = 0;
    try {
      free = this.o.concurrency - this.inflight.size;
      // Top up in chunks: a claim per finished request would be a statement per delivery.
      const claim = free >= Math.max(1, Math.floor(this.o.concurrency / 4));
      const renew = this.inflight.size > 0 && now - this.lastRenew >= this.o.leaseMs / 3;
      // One short transaction per tick (one commit): record what finished, renew what is held, claim what is due.
      claimed = await this.inOneTransaction(now, renew, claim ? free : 0);
      if (renew) this.lastRenew = now;
      if (claimed.length && this.inflight.size === 0) this.lastRenew = now;
      await this.launch(claimed, now);
    } catch (e) {
      if (!this.running) return;
      this.ctx.log.error({ err: e }, 'team webhook delivery tick failed; retrying');
    }
    if (!this.running) return;
    // A full claim means more is due: go again at once. Otherwise wake on the next completion, or poll.
    if (claimed.length > 0 && claimed.length === free) this.again = true;
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.nudge();
      }, this.o.pollMs);
    }
  }

  private async launch(rows: ClaimedDelivery[], now: number): Promise<void> {
    if (rows.length === 0) return;
    const hooks = await this.hooks.get(
      rows.map((r) => r.webhook_id),
      now,
    );
    for (const row of rows) {
      const hook = hooks.get(row.webhook_id);
      if (!hook) continue; // deleted since the claim: the cascade removed the row too
      const p = attemptDelivery(row, hook, { version: this.ctx.version, agent: this.dispatcher, leaseMs: this.o.leaseMs, now: this.ctx.now })
        .then(({ headers, result }) => {
          if (row.chain === 0 && row.attempts === 0) this.ctx.metrics.lag.observe(Math.max(0, result.startedAt - row.created_at) / 1000);
          this.results.push({ row, headers, result, noRetry: false });
        })
        .finally(() => {
          this.inflight.delete(row.id);
          this.nudge(this.results.length >= GATHER || this.inflight.size === 0 ? 0 : GATHER_MS);
        });
      this.inflight.set(row.id, { row, p });
    }
  }

  /** Record, renew and claim in one transaction; on a database error nothing was written and the results stay for the next tick. */
  private async inOneTransaction(now: number, renew: boolean, limit: number): Promise<ClaimedDelivery[]> {
    const batch = this.results;
    this.results = [];
    if (batch.length === 0 && !renew && limit === 0) return [];
    const held = renew ? [...new Set([...this.inflight.values()].map((x) => x.row.claim_id!))] : [];
    let out: RecordOutcome;
    let claimed: ClaimedDelivery[];
    try {
      [out, claimed] = await this.store.db.transaction().execute(async (trx) => {
        const rec = await recordAttempts(trx, this.store.dialect, batch, this.o.policy, now, this.o.random);
        if (held.length) await renewClaims(trx, held, now + this.o.leaseMs);
        const rows = await claimDue(trx, this.store.dialect, { now, until: now + this.o.leaseMs, claimId: newId('clm'), limit });
        return [rec, rows] as const;
      });
    } catch (e) {
      this.results = batch.concat(this.results);
      throw e;
    }
    for (const r of out.recorded) this.ctx.metrics.deliveries.inc({ outcome: r.status });
    if (out.fenced.length) this.ctx.metrics.deliveries.inc({ outcome: 'fenced' }, out.fenced.length);
    for (const id of out.disabled) this.hooks.forget(id);
    if (batch.length) this.onRecord(out);
    return claimed;
  }

  /** Stop claiming; let requests in flight finish briefly, record them, hand back the rest unattempted. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running) {
      await this.dispatcher.close().catch(() => undefined);
      return;
    }
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    const pending = [...this.inflight.values()].map((x) => x.p);
    let t: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((r) => (t = setTimeout(r, graceMs)))]);
    clearTimeout(t);
    const now = this.ctx.now();
    try {
      await this.inOneTransaction(now, false, 0);
      const late = [...this.inflight.values()].map((x) => ({ id: x.row.id, claimId: x.row.claim_id! }));
      this.inflight.clear();
      await releaseClaims(this.store.db, late, now);
    } catch (e) {
      this.ctx.log.warn({ err: e }, 'team webhook delivery: could not record or release on stop; the leases expire instead');
    }
    await this.dispatcher.close().catch(() => undefined);
  }
}
