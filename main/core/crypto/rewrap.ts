import type SQLite from 'better-sqlite3';
import type { SecretBox } from './secret-box.ts';

/**
 * Every column that holds sealed secrets, as whole values or inside JSON (webhook custom headers).
 * The test beside this file seals one of each through the core and checks the list covers them all.
 */
export const SEALED_COLUMNS = [
  ['credentials', 'value_sealed'],
  ['webhooks', 'secret_sealed'],
  ['webhooks', 'previous_secret_sealed'],
  ['webhooks', 'headers'],
  ['relay_endpoints', 'secret_sealed'],
  ['relay_requests', 'sealed_headers'],
  ['sync_link', 'token_sealed'],
] as const;

/**
 * Re-seals every secret sealed by another scheme (`prefix`, opened by `open`) with `box`, in one
 * transaction: the desktop's secrets were once sealed by safeStorage directly, which only Electron's
 * main process can open; the core process seals with a keychain-wrapped key instead. Tables a data
 * directory does not have yet are skipped. Returns how many values changed.
 */
export function rewrapSealed(sqlite: SQLite.Database, prefix: string, open: (sealed: string) => string, box: SecretBox): number {
  const token = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[A-Za-z0-9+/=]+`, 'g');
  const columns = (table: string) => new Set((sqlite.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name));
  let changed = 0;
  sqlite.transaction(() => {
    for (const [table, column] of SEALED_COLUMNS) {
      if (!columns(table).has(column)) continue;
      const rows = sqlite.prepare(`select rowid as id, "${column}" as v from "${table}" where instr("${column}", ?) > 0`).all(prefix) as {
        id: number;
        v: string;
      }[];
      const update = sqlite.prepare(`update "${table}" set "${column}" = ? where rowid = ?`);
      for (const r of rows) {
        update.run(
          r.v.replace(token, (sealed) => box.encrypt(open(sealed))),
          r.id,
        );
        changed++;
      }
    }
  })();
  return changed;
}
