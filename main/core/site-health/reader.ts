import type SQLite from 'better-sqlite3';

export interface DegradedSite {
  reason: string;
  since: number;
}

/**
 * The degraded sites as username.sites reads them: one query at most every
 * `ttlMs`, so a batch of thousands of runs does not ask SQLite per run. A
 * check in another process is seen within that time.
 */
export class SiteHealthReader {
  private cache: { at: number; map: Map<string, DegradedSite> } | null = null;
  private readonly stmt: SQLite.Statement;
  constructor(
    sqlite: SQLite.Database,
    private readonly ttlMs = 1000,
  ) {
    this.stmt = sqlite.prepare(`select site, reason, since from site_health where status = 'degraded'`);
  }

  /** By lower-cased site name. */
  degraded(): Map<string, DegradedSite> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < this.ttlMs) return this.cache.map;
    const rows = this.stmt.all() as { site: string; reason: string | null; since: number }[];
    const map = new Map(rows.map((r) => [r.site.toLowerCase(), { reason: r.reason ?? 'degraded', since: r.since }]));
    this.cache = { at: now, map };
    return map;
  }

  invalidate(): void {
    this.cache = null;
  }
}
