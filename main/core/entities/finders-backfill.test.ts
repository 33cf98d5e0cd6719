import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../db/open.ts';
import { migrations } from '../db/migrations/index.ts';
import { tempDir } from '../testing/temp-core.ts';

/** Migration 024 on a file written before it: each find gets the finder it can be known by, conservatively. */
describe('024_entity_finders backfill', () => {
  it('names the batch, the single run or "hand" as finder, and "unknown" for finds seen again', async () => {
    const file = join(tempDir(), 'legacy.db');
    const before = Object.fromEntries(Object.entries(migrations).filter(([n]) => n < '024'));
    const old = await openStore(file, { migrations: before });
    const db = old.sqlite;
    db.exec(`
      insert into investigations (id, name, description, status, tags, created_at, updated_at) values ('inv_1', 'old', '', 'active', '[]', 1, 1);
      insert into batches (id, investigation_id, name, status, options, created_at, updated_at) values ('bat_a', 'inv_1', 'A', 'completed', '{}', 1, 1);
      insert into operations (id, batch_id, seq, tool, input_type, input_value) values ('op_a_1', 'bat_a', 1, 't', 'username', 'x');
      insert into tool_runs (id, investigation_id, tool, input_type, input_value, status, started_at, entity_ids)
        values ('run_1', 'inv_1', 't', 'username', 'y', 'succeeded', 1, '["ent_batch"]');
      insert into entities (id, investigation_id, type, value, normalized, properties, source_run_id, first_seen, last_seen) values
        ('ent_batch', 'inv_1', 'username', 'b', 'b', '{}', 'op_a_1', 1, 1),
        ('ent_again', 'inv_1', 'username', 'g', 'g', '{}', 'op_a_1', 1, 5),
        ('ent_run', 'inv_1', 'username', 'r', 'r', '{}', 'run_1', 1, 1),
        ('ent_hand', 'inv_1', 'username', 'h', 'h', '{}', null, 1, 1),
        ('ent_only', 'inv_1', 'username', 'o', 'o', '{}', 'op_a_1', 1, 1);
      insert into links (id, investigation_id, source_id, target_id, type, properties, source_run_id, created_at) values
        ('lnk_1', 'inv_1', 'ent_batch', 'ent_only', 'related', '{}', 'op_a_1', 1),
        ('lnk_2', 'inv_1', 'ent_only', 'ent_again', 'related', '{}', 'op_a_1', 1),
        ('lnk_3', 'inv_1', 'ent_hand', 'ent_run', 'related', '{}', null, 1);
    `);
    await old.close();

    const now = await openStore(file);
    const rows = (t: string, col: string) =>
      (now.sqlite.prepare(`select ${col} as id, finder from ${t} order by ${col}, finder`).all() as { id: string; finder: string }[]).map(
        (r) => `${r.id}:${r.finder}`,
      );
    expect(rows('entity_finders', 'entity_id')).toEqual([
      'ent_again:bat_a',
      'ent_again:unknown',
      'ent_batch:bat_a',
      'ent_batch:run_1', // the single run listed it among its finds
      'ent_hand:hand',
      'ent_only:bat_a',
      'ent_run:run_1',
    ]);
    expect(rows('link_finders', 'link_id')).toEqual(['lnk_1:bat_a', 'lnk_2:bat_a', 'lnk_2:unknown', 'lnk_3:hand']);
    expect((now.sqlite.prepare(`select notes from entities where id = 'ent_hand'`).get() as { notes: string }).notes).toBe('');
    await now.close();
  });
});
