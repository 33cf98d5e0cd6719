import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../db/open.ts';
import { down as dropSearch } from '../db/migrations/008_search.ts';
import { upsertEntity } from '../entities/store.ts';
import { tempCore } from '../testing/temp-core.ts';
import type { EntityInput } from '../entities/store.ts';
import type { SearchHit } from '../../../preload/contract/search.ts';
import { EntitySearch, ftsMatch, searchTerms } from './fts.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;
beforeEach(async () => {
  core = await tempCore();
  inv = (await core.call('investigations.create', { name: 'Case A' })).id;
});
afterEach(async () => {
  await core.dispose();
});

const put = (input: EntityInput, investigationId = inv) => core.ctx.db.transaction().execute((trx) => upsertEntity(trx, investigationId, input));
const search = async (text: string, investigationId?: string) => (await core.call('search.query', { text, investigationId })).hits;
const values = (hits: SearchHit[]) => hits.map((h) => h.entity.value);
const marked = (h: SearchHit) => h.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase());
function integrity() {
  for (const t of ['entities_fts', 'entities_fts_tri']) core.ctx.sqlite.prepare(`insert into ${t}(${t}, rank) values('integrity-check', 1)`).run();
}

describe('full-text search', () => {
  it('user text is quoted term by term', () => {
    expect(searchTerms('  a  b a ')).toEqual(['a', 'b']);
    expect(ftsMatch(['T-Mobile', '"', 'NEAR('])).toBe('"T-Mobile" """" "NEAR("');
  });

  it('hostile inputs are searched as text, never parsed as FTS syntax', async () => {
    await put({ type: 'organization', value: 'T-Mobile US' });
    await put({ type: 'email', value: 'a.b@c.com' });
    await put({ type: 'other', value: 'say "hi"' });
    await put({ type: 'other', value: 'black AND white' });
    await put({ type: 'other', value: 'rating 5*' });
    await put({ type: 'other', value: 'NEAR(x) macro' });
    await put({ type: 'other', value: 'unrelated' });
    expect(values(await search('T-Mobile'))).toEqual(['T-Mobile US']);
    expect(values(await search('a.b@c.com'))).toEqual(['a.b@c.com']);
    expect(values(await search('"'))).toEqual(['say "hi"']);
    expect(values(await search('AND'))).toEqual(['black AND white']);
    expect(values(await search('*'))).toEqual(['rating 5*']);
    expect(values(await search('NEAR('))).toEqual(['NEAR(x) macro']);
    for (const s of ['"a', 'a OR b', 'NOT x', '^x', 'value:x', '(', ')', "'", '\\', '%', '_']) await expect(search(s)).resolves.toBeDefined();
  });

  it('diacritics fold both ways: cafe finds café and café finds cafe', async () => {
    await put({ type: 'location', value: 'Café Zürich' });
    await put({ type: 'location', value: 'cafe bar' });
    expect(values(await search('cafe')).sort()).toEqual(['Café Zürich', 'cafe bar']);
    expect(values(await search('CAFÉ')).sort()).toEqual(['Café Zürich', 'cafe bar']);
    expect(values(await search('zurich'))).toEqual(['Café Zürich']);
  });

  it('finds a word only in the evidence excerpt or a property value, with the hit marked in the snippet', async () => {
    await put({ type: 'account', value: 'github.com/alice', evidence: { observedAt: '2026-12-01T00:00:00Z', excerpt: 'Alice — joined 2019, loves quokkas' } });
    await put({ type: 'account', value: 'x.com/bob', properties: { bio: 'Bob the builder', location: 'Wellington' } });
    const q = await search('quokkas');
    expect(values(q)).toEqual(['github.com/alice']);
    expect(marked(q[0]!)).toEqual(['quokkas']);
    expect(q[0]!.match).toBe('word');
    expect(values(await search('joined 2019'))).toEqual(['github.com/alice']);
    expect(values(await search('wellington'))).toEqual(['x.com/bob']);
  });

  it('substrings: trigrams from 3 characters, LIKE under 3, after the whole-word hits', async () => {
    await put({ type: 'domain', value: 'mobile.example' });
    await put({ type: 'organization', value: 'T-Mobile US' });
    await put({ type: 'username', value: 'automobiles' });
    const hits = await search('mobile');
    expect(hits.slice(0, 2).map((h) => h.match)).toEqual(['word', 'word']);
    expect(hits[2]).toMatchObject({ match: 'substring', entity: { value: 'automobiles' } });
    expect(marked(hits[2]!)[0]).toContain('mob');
    const short = await search('ob');
    expect(values(short).sort()).toEqual(['T-Mobile US', 'automobiles', 'mobile.example']);
    expect(short.every((h) => marked(h).includes('ob'))).toBe(true);
  });

  it('ranks a match in the value above one in a property, and can be scoped to one investigation', async () => {
    const other = (await core.call('investigations.create', { name: 'Case B' })).id;
    await put({ type: 'other', value: 'note', properties: { text: 'orion orion orion appears in a long description of other things' } });
    await put({ type: 'username', value: 'orion' });
    await put({ type: 'username', value: 'orion' }, other);
    const all = await search('orion');
    expect(all).toHaveLength(3);
    expect(all[2]!.entity.value).toBe('note');
    expect(new Set(all.map((h) => h.investigationName))).toEqual(new Set(['Case A', 'Case B']));
    expect((await search('orion', other)).map((h) => h.entity.investigationId)).toEqual([other]);
    await expect(core.call('search.query', { text: 'orion', investigationId: 'inv_nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.invoke('search.query', { text: '   ' })).rejects.toMatchObject({ code: 'invalid_input' });
    const page = await core.call('search.query', { text: 'orion', limit: 2 });
    expect(page).toMatchObject({ more: true });
    expect(page.hits).toHaveLength(2);
  });

  it('ranks bm25 among the newest matches only (the rank window), exactly below it', async () => {
    // The oldest is the best bm25 hit (the word is the whole value); the newer ones hold it in an excerpt.
    await put({ type: 'username', value: 'wombat' });
    for (let i = 0; i < 4; i++)
      await put({
        type: 'account',
        value: `site/${i}`,
        evidence: { observedAt: 'x', excerpt: `a long page that mentions wombat once among many other words ${i}` },
      });
    const exact = new EntitySearch(core.ctx.sqlite, { rankWindow: 5 }).search('wombat', { investigationId: inv, limit: 2 });
    expect(exact).toMatchObject({ more: true });
    expect(exact.hits[0]!.entity.value).toBe('wombat');
    const windowed = new EntitySearch(core.ctx.sqlite, { rankWindow: 3 }).search('wombat', { investigationId: inv, limit: 5 });
    // Word hits come from the 3 newest, ranked; the oldest (best) one only after them, as a substring hit.
    expect(windowed.hits.slice(0, 3).map((h) => h.match)).toEqual(['word', 'word', 'word']);
    expect(new Set(windowed.hits.slice(0, 3).map((h) => h.entity.value))).toEqual(new Set(['site/1', 'site/2', 'site/3']));
    expect(windowed.hits.find((h) => h.entity.value === 'wombat')).toMatchObject({ match: 'substring' });
    expect(windowed.hits.every((h) => h.score !== null || h.match === 'substring')).toBe(true);
  });

  it('substrings in more entities than the window are the newest, unranked; fewer are bm25-ranked', async () => {
    for (let i = 0; i < 5; i++) await put({ type: 'username', value: `pre${i}zorblax${'x'.repeat(i)}` });
    const many = new EntitySearch(core.ctx.sqlite, { rankWindow: 3 }).search('orbla', { investigationId: inv, limit: 2 });
    expect(many.hits.map((h) => [h.entity.value, h.match, h.score])).toEqual([
      ['pre4zorblaxxxxx', 'substring', null],
      ['pre3zorblaxxxx', 'substring', null],
    ]);
    expect(many.more).toBe(true);
    const few = new EntitySearch(core.ctx.sqlite, { rankWindow: 10 }).search('orbla', { investigationId: inv, limit: 2 });
    expect(few.hits.every((h) => typeof h.score === 'number')).toBe(true);
    expect(marked(few.hits[0]!)[0]).toContain('orbla');
  });

  it('terms under 3 characters are looked for in the newest entities of the scope (the LIKE window)', async () => {
    await put({ type: 'username', value: 'oldqzone' });
    core.ctx.sqlite.prepare(`update entities set first_seen = 1`).run();
    for (let i = 0; i < 3; i++) await put({ type: 'username', value: `newer${i}` });
    const hits = (likeWindow: number, investigationId?: string) =>
      values(new EntitySearch(core.ctx.sqlite, { likeWindow }).search('qz', { investigationId, limit: 5 }).hits);
    expect(hits(4, inv)).toEqual(['oldqzone']);
    expect(hits(4)).toEqual(['oldqzone']);
    expect(hits(3, inv)).toEqual([]);
    expect(hits(3)).toEqual([]);
  });

  it('deletes, cascades and merges keep the index in step', async () => {
    const a = await put({ type: 'account', value: 'site/alpha', label: 'first label', evidence: { observedAt: 'x', excerpt: 'oldword' } });
    await put({ type: 'account', value: 'site/beta' });
    // A merge: new label and evidence replace the old text; properties merge.
    await put({ type: 'account', value: 'site/alpha', label: 'second label', evidence: { observedAt: 'y', excerpt: 'newword' }, properties: { k: 'kept' } });
    expect(values(await search('oldword'))).toEqual([]);
    expect(values(await search('newword'))).toEqual(['site/alpha']);
    expect(values(await search('first'))).toEqual([]);
    expect(values(await search('second'))).toEqual(['site/alpha']);
    expect(values(await search('kept'))).toEqual(['site/alpha']);
    integrity();
    await core.call('entities.delete', { id: a.entity.id });
    expect(values(await search('newword'))).toEqual([]);
    expect(values(await search('site'))).toEqual(['site/beta']);
    await core.call('investigations.delete', { id: inv });
    expect(await search('site')).toEqual([]);
    integrity();
    const n = core.ctx.sqlite.prepare(`select count(*) as n from entities_fts_tri where entities_fts_tri match '"site"'`).get() as { n: number };
    expect(n.n).toBe(0);
  });

  it('the migration indexes entities that existed before it and checks the index', async () => {
    await put({ type: 'username', value: 'before_index' });
    const db = core.ctx.db;
    // Back to a database without the index, as one written before 008; then add rows trigger-free.
    await dropSearch(db as never);
    await sql`delete from kysely_migration where name = '008_search'`.execute(db);
    await put({ type: 'username', value: 'written_without_triggers' });
    const store = await openStore(core.ctx.sqlite.name);
    try {
      const found = store.sqlite.prepare(
        `select e.value from entities_fts join entities e on e.rowid = entities_fts.rowid where entities_fts match ? order by e.value`,
      );
      expect(found.all('"before_index"').map((r) => (r as { value: string }).value)).toEqual(['before_index']);
      expect(found.all('"written_without_triggers"')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
