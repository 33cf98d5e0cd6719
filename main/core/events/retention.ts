import type { CoreContext } from '../context.ts';
import { tryWriteNow } from '../db/write.ts';
import { intervalWorker, type BackgroundWorker } from '../workers.ts';

/**
 * Retention of the event outbox (`events.retention.days`, #15 item 7).
 *
 * The outbox has two consumers, and a row goes only once both have passed it:
 * - the webhook dispatcher sets `dispatched_at` when it has fanned the event out to deliveries
 *   (`webhooks/dispatcher.ts`); an undispatched row is never removed, however old;
 * - the team publisher (`sync/publish.ts`) keeps `sync_link.events_cursor`, the last seq it went through;
 *   while a team link exists nothing past the cursor is removed (offline for months, the next sync still
 *   publishes everything). Without a link there is no cursor to respect: a new link starts at the outbox's
 *   head (`SyncEngine.outboxHead`), and AUTOINCREMENT never hands out a removed seq again.
 * Deletes go in short chunks, each its own write through `tryWriteNow`: while another transaction is open
 * nothing is written and the rest waits for the next tick.
 */
export const OUTBOX_CHUNK = 2_000;
const EVERY_MS = 3_600_000;
const DAY = 86_400_000;

export interface PruneResult {
  deleted: number;
  /** True when a tick stopped early because a transaction was open (the rest goes next tick). */
  deferred: boolean;
}

/** The highest outbox seq every consumer has passed (rows at or below it may go). */
export function outboxConsumedThrough(sqlite: CoreContext['sqlite']): number {
  const firstPending = sqlite.prepare(`select min(seq) from outbox where dispatched_at is null`).pluck().get() as number | null;
  const max = (sqlite.prepare(`select max(seq) from outbox`).pluck().get() as number | null) ?? 0;
  let through = firstPending === null ? max : firstPending - 1;
  const cursor = sqlite.prepare(`select events_cursor from sync_link where id = 1`).pluck().get() as number | undefined;
  if (cursor !== undefined) through = Math.min(through, cursor);
  return through;
}

export async function applyOutboxRetention(ctx: Pick<CoreContext, 'db' | 'sqlite' | 'settings'>, now: number, chunk = OUTBOX_CHUNK): Promise<PruneResult> {
  const days = await ctx.settings.get('events.retention.days');
  const cutoff = now - days * DAY;
  const { sqlite } = ctx;
  // Re-checked inside each write: a consumer's position only moves forward, but a reconnect to another team
  // can move the cursor (to the head, which is never below what was consumed), so reading it per chunk is safe.
  const del = sqlite.prepare(
    `delete from outbox where seq in (
       select seq from outbox where seq <= ? and dispatched_at is not null and created_at < ? order by seq limit ${chunk})`,
  );
  let deleted = 0;
  for (;;) {
    const done = tryWriteNow(ctx, () => del.run(outboxConsumedThrough(sqlite), cutoff).changes);
    if (!done) return { deleted, deferred: true };
    deleted += done.value;
    if (done.value < chunk) return { deleted, deferred: false };
    await new Promise((r) => setImmediate(r));
  }
}

/** Applies the outbox retention at start and hourly (`core.startWorkers()`). */
export function outboxRetentionWorker(ctx: CoreContext): BackgroundWorker {
  return intervalWorker('events.retention', EVERY_MS, () => applyOutboxRetention(ctx, ctx.clock.now()), ctx.log);
}
