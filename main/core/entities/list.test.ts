import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { COUNT_PAGES_AHEAD } from './service.ts';
import type { Filter } from '../../../preload/contract/filters.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;
beforeEach(async () => {
  core = await tempCore();
  inv = (await core.call('investigations.create', { name: 'T' })).id;
});
afterEach(async () => {
  await core.dispose();
});

// 120 entities: 60 emails (20 of them on .ru), 60 usernames.
async function seed() {
  const t = core.ctx.sqlite.transaction(() => {
    const ins = core.ctx.sqlite.prepare(
      `insert into entities (id, investigation_id, type, value, normalized, properties, first_seen, last_seen) values (?, ?, ?, ?, ?, '{}', ?, ?)`,
    );
    for (let i = 0; i < 120; i++) {
      const type = i % 2 ? 'username' : 'email';
      const value = type === 'email' ? `u${i}@${i % 3 === 0 ? 'mail.ru' : 'x.org'}` : `user${i}`;
      ins.run(`ent_${String(i).padStart(3, '0')}`, inv, type, value, value, 1_000 + i, 1_000 + i);
    }
  });
  t();
}
const count = (where: string) =>
  (core.ctx.sqlite.prepare(`select count(*) as n from entities where investigation_id = ? and ${where}`).get(inv) as { n: number }).n;

describe('entities.list totals and counts (P10)', () => {
  const ru: Filter = {
    and: [
      { field: 'type', op: 'is', value: 'email' },
      { field: 'value', op: 'ends_with', value: '.ru' },
    ],
  };

  it('is exact without a filter (from the per-type rollup) and per type', async () => {
    await seed();
    const all = await core.call('entities.list', { investigationId: inv, limit: 5 });
    expect(all).toMatchObject({ total: 120, totalCapped: false, counts: { email: 60, username: 60 } });
    expect(all.items.map((e) => e.id)).toEqual(['ent_119', 'ent_118', 'ent_117', 'ent_116', 'ent_115']);
    expect(await core.call('entities.list', { investigationId: inv, type: 'email', limit: 5 })).toMatchObject({ total: 60, totalCapped: false });
  });

  it('with a filter, counts at most COUNT_PAGES_AHEAD pages past the page and says when it stopped', async () => {
    await seed();
    expect(count(`type = 'email' and value like '%.ru'`)).toBe(20);
    // 20 matches, pages of 1: 10 pages ahead is 10, so "10 or more".
    const first = await core.call('entities.list', { investigationId: inv, filter: ru, limit: 1 });
    expect(first).toMatchObject({ total: COUNT_PAGES_AHEAD, totalCapped: true });
    const later = await core.call('entities.list', { investigationId: inv, filter: ru, limit: 1, offset: 12 });
    expect(later).toMatchObject({ total: 20, totalCapped: false });
    // A short page is its own count; a page past the end still counts.
    expect(await core.call('entities.list', { investigationId: inv, filter: ru, limit: 50 })).toMatchObject({ total: 20, totalCapped: false });
    const past = await core.call('entities.list', { investigationId: inv, filter: ru, limit: 5, offset: 40 });
    expect(past).toMatchObject({ items: [], total: 20, totalCapped: false });
    expect(await core.call('entities.list', { investigationId: inv, filter: { and: [{ field: 'value', op: 'contains', value: 'nothing' }] } })).toMatchObject({
      total: 0,
      totalCapped: false,
    });
    // The legacy search string counts the same way.
    expect(await core.call('entities.list', { investigationId: inv, search: 'mail.ru', limit: 100 })).toMatchObject({ total: 20, totalCapped: false });
    // The counts stay the investigation's, whatever the filter.
    expect(first.counts).toEqual({ email: 60, username: 60 });
  });

  it('per-type counts follow deletes, moves between investigations and cascades', async () => {
    await seed();
    const other = (await core.call('investigations.create', { name: 'Other' })).id;
    await core.call('entities.delete', { id: 'ent_000' });
    core.ctx.sqlite.prepare(`update entities set investigation_id = ? where id in ('ent_001', 'ent_003')`).run(other);
    expect((await core.call('entities.list', { investigationId: inv })).counts).toEqual({ email: 59, username: 58 });
    expect(await core.call('entities.list', { investigationId: other })).toMatchObject({ total: 2, counts: { username: 2 } });
    await core.call('investigations.delete', { id: other });
    const again = await core.call('investigations.create', { name: 'Again' });
    expect(await core.call('entities.list', { investigationId: again.id })).toMatchObject({ total: 0, counts: {} });
    expect((await core.call('entities.list', { investigationId: inv })).total).toBe(count('1'));
  });

  it('a typed page reads entities_inv_type_seen in order (no sort of the whole type)', () => {
    const plan = (
      core.ctx.sqlite
        .prepare(
          `explain query plan select * from entities where investigation_id = ? and type = ? and value like ? escape '\\' and first_seen > ? order by first_seen desc, id desc limit 50`,
        )
        .all(inv, 'email', '%.ru', 0) as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan[0]).toContain('entities_inv_type_seen');
    expect(plan.join('\n')).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });
});
