import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { normalizeEntityValue } from './normalize.ts';

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

describe('normalization', () => {
  it.each([
    ['email', '  Alice@Example.COM ', 'alice@example.com'],
    ['domain', 'Example.COM.', 'example.com'],
    ['url', 'HTTPS://Example.com:443/a/#frag', 'https://example.com/a'],
    ['url', 'http://example.com/', 'http://example.com'],
    ['phone', '+1 (415) 555-2671', '+14155552671'],
    ['username', '@Alice', 'alice'],
  ] as const)('%s %s -> %s', (type, raw, out) => {
    expect(normalizeEntityValue(type, raw)).toBe(out);
  });
});

describe('entities', () => {
  it('merges an existing entity instead of failing, keeping id and first_seen', async () => {
    const a = await core.call('entities.add', { investigationId: inv, type: 'email', value: 'Alice@Example.com', properties: { a: 1 } });
    await new Promise((r) => setTimeout(r, 5));
    const b = await core.call('entities.add', { investigationId: inv, type: 'email', value: ' alice@example.com ', properties: { b: 2 } });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.entity.id).toBe(a.entity.id);
    expect(b.entity.properties).toEqual({ a: 1, b: 2 });
    expect(b.entity.firstSeen).toBe(a.entity.firstSeen);
    expect(b.entity.lastSeen > a.entity.lastSeen).toBe(true);
    const list = await core.call('entities.list', { investigationId: inv });
    expect(list.total).toBe(1);
    // Only the first add is a discovery.
    const discovered = await core.ctx.db.selectFrom('outbox').select('type').where('type', '=', 'entity.discovered').execute();
    expect(discovered).toHaveLength(1);
  });

  it('same value with a different type is a different entity', async () => {
    await core.call('entities.add', { investigationId: inv, type: 'username', value: 'example.com' });
    await core.call('entities.add', { investigationId: inv, type: 'domain', value: 'example.com' });
    const list = await core.call('entities.list', { investigationId: inv });
    expect(list.total).toBe(2);
    expect(list.counts).toEqual({ username: 1, domain: 1 });
  });

  it('filters by type and paginates', async () => {
    for (let i = 0; i < 25; i++) await core.call('entities.add', { investigationId: inv, type: i % 2 ? 'username' : 'email', value: `u${i}@x.org` });
    const emails = await core.call('entities.list', { investigationId: inv, type: 'email', limit: 10 });
    expect(emails.total).toBe(13);
    expect(emails.items).toHaveLength(10);
    const rest = await core.call('entities.list', { investigationId: inv, type: 'email', limit: 10, offset: 10 });
    expect(rest.items).toHaveLength(3);
    const ids = new Set([...emails.items, ...rest.items].map((e) => e.id));
    expect(ids.size).toBe(13);
  });

  it('links are unique on (source, target, type); deleting an entity removes its links', async () => {
    const u = (await core.call('entities.add', { investigationId: inv, type: 'username', value: 'alice' })).entity;
    const d = (await core.call('entities.add', { investigationId: inv, type: 'domain', value: 'a.org' })).entity;
    const l1 = await core.call('links.add', { investigationId: inv, sourceId: u.id, targetId: d.id, type: 'related' });
    const l2 = await core.call('links.add', { investigationId: inv, sourceId: u.id, targetId: d.id, type: 'related' });
    expect(l1.created).toBe(true);
    expect(l2.created).toBe(false);
    expect(l2.link.id).toBe(l1.link.id);
    await core.call('entities.delete', { id: d.id });
    expect((await core.call('links.list', { investigationId: inv })).total).toBe(0);
  });

  it('refuses entities for unknown investigations and links across investigations', async () => {
    await expect(core.call('entities.add', { investigationId: 'inv_x', type: 'email', value: 'a@b.co' })).rejects.toMatchObject({ code: 'not_found' });
    const other = (await core.call('investigations.create', { name: 'O' })).id;
    const a = (await core.call('entities.add', { investigationId: inv, type: 'username', value: 'a' })).entity;
    const b = (await core.call('entities.add', { investigationId: other, type: 'username', value: 'b' })).entity;
    await expect(core.call('links.add', { investigationId: inv, sourceId: a.id, targetId: b.id, type: 'related' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(core.invoke('entities.add', { investigationId: inv, type: 'planet', value: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
