import type SQLite from 'better-sqlite3';
import { ownerAlive } from '../util/process-owner.ts';

export const ORPHANED_RUN_ERROR = 'interrupted: the process running it stopped (killed or crashed) before it finished';

/**
 * Single tool runs left `running` by a process that is gone are failed (SPEC §3.2): nothing will ever
 * finish them. Runs of a live process (the desktop and the CLI share a data directory) are left alone;
 * rows from before migration 021 have no owner and cannot still be running. Returns how many it failed.
 */
export function failOrphanedToolRuns(sqlite: SQLite.Database, now: number): number {
  const running = sqlite.prepare(`select id, owner, started_at from tool_runs where status = 'running'`).all() as {
    id: string;
    owner: string | null;
    started_at: number;
  }[];
  const fail = sqlite.prepare(
    `update tool_runs set status = 'failed', finished_at = ?, duration_ms = max(0, ? - started_at), error = ?, error_kind = 'aborted'
     where id = ? and status = 'running'`,
  );
  let n = 0;
  sqlite.transaction(() => {
    for (const r of running) {
      if (r.owner && ownerAlive(r.owner)) continue;
      n += fail.run(now, now, ORPHANED_RUN_ERROR, r.id).changes;
    }
  })();
  return n;
}
