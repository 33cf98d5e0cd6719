import type SQLite from 'better-sqlite3';
import type { WebhookEventType } from '../../../preload/contract/event-types.ts';

/**
 * Which webhook event types at least one active webhook subscribes to.
 *
 * High-volume events (job.* per operation, relay.received per inbound request)
 * are written to the outbox only while someone listens: a subscription hears
 * only what happens after it exists, so an event nobody subscribes to would be
 * dispatched to no one. The answer is cached briefly per connection and dropped
 * at once when a webhook changes (the webhooks service calls invalidate()).
 * Low-volume events (batch.*, investigation.*, entity.discovered) are always written.
 */
export class SubscribedEvents {
  private static readonly byConnection = new WeakMap<SQLite.Database, SubscribedEvents>();

  static for(sqlite: SQLite.Database): SubscribedEvents {
    let s = SubscribedEvents.byConnection.get(sqlite);
    if (!s) {
      s = new SubscribedEvents(sqlite);
      SubscribedEvents.byConnection.set(sqlite, s);
    }
    return s;
  }

  private cachedAt = -Infinity;
  private types = new Set<string>();

  private constructor(
    private readonly sqlite: SQLite.Database,
    /** Another process (the CLI, the desktop) may change webhooks: re-read at least this often. */
    private readonly ttlMs = 2000,
  ) {}

  wants(type: WebhookEventType, now: number): boolean {
    const t = this.current(now);
    return t.has(type) || t.has('*');
  }

  wantsFamily(prefix: `${string}.`, now: number): boolean {
    const t = this.current(now);
    if (t.has('*')) return true;
    for (const x of t) if (x.startsWith(prefix)) return true;
    return false;
  }

  invalidate(): void {
    this.cachedAt = -Infinity;
  }

  private current(now: number): Set<string> {
    if (now - this.cachedAt < this.ttlMs) return this.types;
    this.cachedAt = now;
    this.types = this.query();
    return this.types;
  }

  private query(): Set<string> {
    const out = new Set<string>();
    try {
      const exists = this.sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'webhooks'`).get();
      if (!exists) return out;
      for (const r of this.sqlite.prepare(`select events from webhooks where active = 1`).all() as { events: string }[]) {
        try {
          const ev = JSON.parse(r.events) as unknown;
          if (Array.isArray(ev)) for (const e of ev) if (typeof e === 'string') out.add(e);
        } catch {
          // a malformed row subscribes to nothing
        }
      }
    } catch {
      // no webhooks table yet: nobody can subscribe
    }
    return out;
  }
}
