import type SQLite from 'better-sqlite3';

/**
 * Whether `job.*` webhook events should be written at all.
 *
 * batch.* events are always written to the outbox with the change. job.*
 * events would be one to four rows per operation (400,000 outbox rows for a
 * 100,000-operation batch), so they are written only while an active webhook
 * subscribes to a job.* event. The answer is cached for a couple of seconds;
 * a subscription made in that window may miss the jobs that finish inside it.
 * The `webhooks` table belongs to the webhooks area (migration 004); without
 * it, nobody can subscribe and nothing is written.
 */
export class JobEventPolicy {
  private cachedAt = -Infinity;
  private value = false;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly ttlMs = 2000,
  ) {}

  wanted(now = Date.now()): boolean {
    if (now - this.cachedAt < this.ttlMs) return this.value;
    this.cachedAt = now;
    this.value = this.query();
    return this.value;
  }

  /** Forget the cached answer (tests, or right after a webhook changed). */
  invalidate(): void {
    this.cachedAt = -Infinity;
  }

  private query(): boolean {
    try {
      const exists = this.sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = 'webhooks'`).get();
      if (!exists) return false;
      const rows = this.sqlite.prepare(`select events from webhooks where active = 1`).all() as { events: string }[];
      return rows.some((r) => {
        try {
          const ev = JSON.parse(r.events) as unknown;
          return Array.isArray(ev) && ev.some((e) => typeof e === 'string' && (e.startsWith('job.') || e === '*'));
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  }
}
