import type SQLite from 'better-sqlite3';
import type { Agent } from 'undici';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import { newId } from '../util/ids.ts';
import { tryWriteNow } from '../db/write.ts';
import type { ConfigCache } from './config.ts';
import type { HookCache, LiveWebhook } from './hooks.ts';
import { recordRows, type Finished, type RecordResult, type RecordedAttempt } from './record.ts';
import { sendAttempt } from './delivery/send.ts';
import type { Claimed, DeliveryStatements } from './statements.ts';

/** Completions gathered before a tick runs without waiting. */
const GATHER_RESULTS = 64;
/** How long completions may gather before they are committed. */
const GATHER_MS = 5;
/** How soon a tick tries again when another transaction held the connection. */
const RETRY_WRITE_MS = 5;

/** What the worker uses of the engine it belongs to. */
export interface DeliveryHost {
  readonly ctx: CoreContext;
  readonly sqlite: SQLite.Database;
  readonly st: DeliveryStatements;
  readonly config: ConfigCache;
  readonly hooks: HookCache;
  readonly random: () => number;
  readonly leaseMs: number;
  readonly pollMs: number;
  headersFor(row: Claimed, hook: LiveWebhook): Record<string, string>;
  agent(allowPrivate: boolean): Agent;
  /** Record finished attempts in their own transaction. */
  record(batch: Finished[]): Promise<RecordedAttempt[]>;
  afterRecord(rec: RecordResult): void;
  isClosed(): boolean;
}

/**
 * Claims due deliveries, signs and sends them (up to the per-webhook
 * concurrency), and records every attempt. One write transaction per tick.
 */
export class DeliveryWorker {
  running = false;
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
  private lastArm = 0;

  constructor(private readonly h: DeliveryHost) {}

  readonly worker: BackgroundWorker = {
    name: 'webhooks.delivery',
    start: () => {
      this.running = true;
      this.nudge();
    },
    stop: () => this.stop(),
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
    const h = this.h;
    if (!this.running || h.isClosed()) return;
    try {
      const now = h.ctx.clock.now();
      const { concurrencyPerWebhook } = h.config.get(now);
      const hooks = h.hooks.get(now);
      const batch = this.results;
      this.results = [];
      // One write transaction per tick: record what finished, hand back what
      // can no longer go (webhook disabled or deleted), claim what is due.
      // Memory changes only after the commit: a rolled-back claim must never be sent.
      let out: RecordResult;
      const reclaim = now - this.lastReclaim >= h.leaseMs / 3;
      const renew = now - this.lastRenew >= h.leaseMs / 3;
      const dropped: string[] = [];
      const claimed: [string, Claimed[]][] = [];
      try {
        const done = tryWriteNow(h.ctx, () => {
          const rec = recordRows(h.st, h.config, h.random, batch, now);
          if (reclaim) h.st.reclaim.run(now, now, now);
          // Keep what this worker holds (queued or in flight) from being taken as abandoned.
          if (renew) for (const claimId of this.heldClaims()) h.st.renew.run(now + h.leaseMs, claimId);
          for (const [id, q] of this.queued) {
            if (hooks.get(id)?.active) continue;
            for (const row of q) h.st.release.run(now, now, row.id, row.claim_id!);
            dropped.push(id);
          }
          for (const hook of hooks.values()) {
            if (!hook.active) continue;
            const queued = this.queued.get(hook.id)?.length ?? 0;
            // Keep up to one extra round queued beyond what is in flight.
            const want = 2 * concurrencyPerWebhook - (this.perHook.get(hook.id) ?? 0) - queued;
            if (want <= 0 || (queued > 0 && want < concurrencyPerWebhook / 2)) continue;
            claimed.push([hook.id, h.st.claim.all(now + h.leaseMs, newId('clm'), now, hook.id, now, want)]);
          }
          return rec;
        });
        if (!done) {
          // Another transaction is open on the connection: written inside it, this tick could be rolled back
          // with it (SPEC §1, one write path). Nothing was written; the results wait for the next tick.
          this.results = batch.concat(this.results);
          this.retrySoon();
          return;
        }
        out = done.value;
      } catch (e) {
        // Nothing was written: keep the finished attempts for the next tick.
        this.results = batch.concat(this.results);
        throw e;
      }
      if (reclaim) this.lastReclaim = now;
      if (renew) this.lastRenew = now;
      for (const id of dropped) this.queued.delete(id);
      for (const [id, rows] of claimed) if (rows.length) this.queuedFor(id).push(...rows);
      h.afterRecord(out);
      for (const id of this.queued.keys()) this.pump(id);
      this.arm(now);
    } catch (e) {
      if (h.isClosed()) return;
      h.ctx.log.error({ err: e }, 'webhook delivery tick failed; retrying');
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.nudge();
      }, h.pollMs);
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
    const next = this.h.st.nextDue.get(now)?.at ?? null;
    const wait = next === null ? this.h.pollMs : Math.max(1, Math.min(this.h.pollMs, next - now));
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
    const hook = this.h.hooks.get().get(hookId);
    if (!hook?.active) return; // the next tick hands them back
    const limit = this.h.config.get().concurrencyPerWebhook;
    while (q.length > 0 && (this.perHook.get(hookId) ?? 0) < limit) this.launch(q.shift()!, hook);
  }

  private launch(row: Claimed, hook: LiveWebhook): void {
    this.perHook.set(hook.id, (this.perHook.get(hook.id) ?? 0) + 1);
    const headers = this.h.headersFor(row, hook);
    const claim = row.claim_id! + ':' + row.id;
    const p = sendAttempt(
      { url: hook.url, body: row.payload, headers, timeoutMs: hook.timeoutMs, dispatcher: this.h.agent(hook.allowPrivateNetwork) },
      this.h.ctx.clock.now,
    )
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
  private async flush(): Promise<void> {
    if (this.results.length === 0 || this.h.isClosed()) return;
    const batch = this.results;
    this.results = [];
    await this.h.record(batch);
  }

  private retrySoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nudge();
    }, RETRY_WRITE_MS);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = [...this.inflight.values()];
    if (pending.length) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(pending), new Promise((r) => (timeout = setTimeout(r, 3_000)))]);
      clearTimeout(timeout);
    }
    await this.flush();
    // Queued, or still in flight after the grace period: hand back without counting an attempt, so they go out on the next start.
    if (!this.h.isClosed()) {
      const now = this.h.ctx.clock.now();
      for (const q of this.queued.values()) for (const row of q) this.h.st.release.run(now, now, row.id, row.claim_id!);
      this.queued.clear();
      for (const claim of this.inflight.keys()) {
        this.released.add(claim);
        const [claimId, rowId] = claim.split(':');
        this.h.st.release.run(now, now, rowId!, claimId!);
      }
    }
  }
}
