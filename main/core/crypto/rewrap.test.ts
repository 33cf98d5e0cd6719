import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { Vault } from '../vault/vault.ts';
import { openCustomHeaders } from '../webhooks/custom-headers.ts';
import { AesGcmSecretBox, type SecretBox } from './secret-box.ts';
import { rewrapSealed, SEALED_COLUMNS } from './rewrap.ts';
import { rmSync } from 'node:fs';

/** Stands in for the old safeStorage box: its own prefix, openable only by itself. */
const legacy: SecretBox = {
  kind: 'safestorage',
  encrypt: (plain) => `legacy1:${Buffer.from(plain).toString('base64')}`,
  decrypt: (sealed) => Buffer.from(sealed.slice('legacy1:'.length), 'base64').toString(),
};

/** Every (table, column) whose text holds `needle`, across the whole database. */
function columnsHolding(sqlite: import('better-sqlite3').Database, needle: string): string[] {
  const tables = (sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((t) => t.name);
  const hits: string[] = [];
  for (const t of tables) {
    for (const c of sqlite.prepare(`select name from pragma_table_info(?)`).all(t) as { name: string }[]) {
      const n = sqlite.prepare(`select count(*) as n from "${t}" where instr(cast("${c.name}" as text), ?) > 0`).get(needle) as { n: number };
      if (n.n > 0) hits.push(`${t}.${c.name}`);
    }
  }
  return hits;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('rewrapSealed (the desktop moving secrets from safeStorage to its keychain-wrapped key)', () => {
  it('re-seals every secret of the old scheme with the new box, and they still open', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const old = await tempCore({ dataDir, secrets: legacy });
    await old.call('credentials.set', { name: 'SHODAN', secret: 'shodan-canary' });
    const hook = await old.call('webhooks.create', {
      url: 'https://hooks.example.org/x',
      events: ['batch.completed'],
      secret: 'whsec_' + randomBytes(32).toString('base64'),
      headers: { 'X-Api-Key': 'header-canary' },
    });
    await old.call('relay.endpoints.create', { slug: 'gh', provider: 'github', secret: 'relay-canary' });
    const found = columnsHolding(old.ctx.sqlite, 'legacy1:');
    // The list names every column the old box wrote into.
    expect(
      found.every((f) => SEALED_COLUMNS.some(([t, c]) => `${t}.${c}` === f)),
      found.join(', '),
    ).toBe(true);
    expect(found.length).toBeGreaterThanOrEqual(4);

    const box = new AesGcmSecretBox(randomBytes(32), 'safestorage');
    expect(rewrapSealed(old.ctx.sqlite, 'legacy1:', (s) => legacy.decrypt(s), box)).toBe(found.length);
    expect(columnsHolding(old.ctx.sqlite, 'legacy1:')).toEqual([]);
    await old.close();

    const now = await tempCore({ dataDir, secrets: box });
    try {
      expect(await new Vault(now.ctx.db, box).reveal('SHODAN')).toBe('shodan-canary');
      const row = now.ctx.sqlite.prepare(`select secret_sealed, headers from webhooks where id = ?`).get(hook.id) as { secret_sealed: string; headers: string };
      expect(box.decrypt(row.secret_sealed)).toBe(hook.secret);
      expect(openCustomHeaders((s) => box.decrypt(s), row.headers)).toEqual({ 'X-Api-Key': 'header-canary' });
      // Run again (a second start): nothing of the old scheme is left to change.
      expect(rewrapSealed(now.ctx.sqlite, 'legacy1:', (s) => legacy.decrypt(s), box)).toBe(0);
    } finally {
      await now.close();
    }
  });
});
