import type SQLite from 'better-sqlite3';
import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import { parseJson } from '../util/json.ts';
import { tryWriteNow } from '../db/write.ts';
import { deliveryBody } from './delivery/payload.ts';
import type { DeliveryStatements } from './statements.ts';

const DISPATCH_BATCH = 500;

/** A delivery is one (event, webhook) pair; its id says so. */
export function deliveryId(eventId: string, webhookId: string): string {
  return `dlv_${eventId.slice(eventId.indexOf('_') + 1)}_${webhookId.slice(webhookId.indexOf('_') + 1)}`;
}

/**
 * Fans outbox events out to deliveries, one per subscribed active webhook,
 * and marks the events dispatched in the same transaction.
 */
export class OutboxDispatcher {
  private dispatching = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly sqlite: SQLite.Database,
    private readonly st: DeliveryStatements,
    private readonly pollMs: number,
    /** After a commit that created deliveries. */
    private readonly onCreated: (created: { id: string; webhookId: string }[]) => void,
    private readonly isClosed: () => boolean,
  ) {}

  /** Fan out one page of undispatched outbox events; returns how many events it took. */
  dispatchOnce(): number {
    if (this.isClosed()) return 0;
    const now = this.ctx.clock.now();
    const created: { id: string; webhookId: string }[] = [];
    const done = tryWriteNow(this.ctx, () => {
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
    });
    // Another transaction is open on the connection: nothing was taken; the next poll (≤ 100 ms) tries again.
    if (!done) return 0;
    if (created.length) this.onCreated(created);
    return done.value;
  }

  private loop = (): void => {
    this.timer = null;
    if (!this.dispatching) return;
    let taken = 0;
    try {
      taken = this.dispatchOnce();
    } catch (e) {
      this.ctx.log.error({ err: e }, 'webhook dispatcher failed; retrying');
    }
    // A full page means more is waiting: go again at once, else poll.
    this.timer = taken >= DISPATCH_BATCH ? setTimeout(this.loop, 0) : setTimeout(this.loop, Math.min(this.pollMs, 100));
  };

  readonly worker: BackgroundWorker = {
    name: 'webhooks.dispatcher',
    start: () => {
      this.dispatching = true;
      this.loop();
    },
    stop: () => this.stop(),
  };

  stop(): void {
    this.dispatching = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
