import type SQLite from 'better-sqlite3';
import { SubscribedEvents } from '../events/subscriptions.ts';

/**
 * Whether `job.*` webhook events should be written at all.
 *
 * batch.* events are always written to the outbox with the change. job.*
 * events would be one to four rows per operation (400,000 outbox rows for a
 * 100,000-operation batch), so they are written only while an active webhook
 * subscribes to a job.* event (see events/subscriptions.ts).
 */
export class JobEventPolicy {
  private readonly subs: SubscribedEvents;

  constructor(sqlite: SQLite.Database) {
    this.subs = SubscribedEvents.for(sqlite);
  }

  wanted(now = Date.now()): boolean {
    return this.subs.wantsFamily('job.', now);
  }

  /** Forget the cached answer (tests, or right after a webhook changed). */
  invalidate(): void {
    this.subs.invalidate();
  }
}
