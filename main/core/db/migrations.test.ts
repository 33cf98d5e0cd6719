import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore } from './open.ts';
import { migrations } from './migrations/index.ts';
import { tempDir } from '../testing/temp-core.ts';

describe('migrations', () => {
  it('migrate an empty file to the latest schema, idempotently, with WAL and foreign keys', async () => {
    const file = join(tempDir(), 'fresh.db');
    const s1 = await openStore(file);
    expect(s1.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s1.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = s1.sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[];
    expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const tables = (s1.sqlite.prepare(`select name from sqlite_master where type='table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['investigations', 'entities', 'links', 'outbox', 'settings']));
    await s1.close();
    const s2 = await openStore(file);
    expect((s2.sqlite.prepare('select count(*) n from kysely_migration').get() as { n: number }).n).toBe(Object.keys(migrations).length);
    await s2.close();
  });

  it('migration names are in order', () => {
    const names = Object.keys(migrations);
    expect([...names].sort()).toEqual(names);
  });

  it('a file that applied a later migration still takes an earlier one it lacks', async () => {
    const file = join(tempDir(), 'gap.db');
    const names = Object.keys(migrations);
    const skipped = names[names.length - 2];
    const partial = Object.fromEntries(Object.entries(migrations).filter(([n]) => n !== skipped));
    const s1 = await openStore(file, { migrations: partial });
    expect((s1.sqlite.prepare('select name from kysely_migration where name = ?').get(skipped) as unknown)).toBeUndefined();
    await s1.close();
    const s2 = await openStore(file);
    const applied = s2.sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[];
    expect(applied.map((r) => r.name)).toEqual([...names].sort());
    await s2.close();
  });
});
