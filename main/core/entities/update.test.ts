import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { NOTES_MAX } from '../../../preload/contract/entities.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;
beforeEach(async () => {
  core = await tempCore();
  inv = (await core.call('investigations.create', { name: 'edits' })).id;
});
afterEach(async () => {
  await core.dispose();
});

describe('entities.update (issue #18 item 4)', () => {
  it('sets label, notes and properties; the stored entity reads back the same and views are told', async () => {
    const { entity } = await core.call('entities.add', {
      investigationId: inv,
      type: 'email',
      value: 'seller@example.com',
      properties: { source: 'tip', score: 3 },
    });
    const events: unknown[] = [];
    core.bus.on('entities.changed', (p) => events.push(p));

    const edited = await core.call('entities.update', {
      id: entity.id,
      label: '  The seller ',
      notes: 'Called on Monday.\nNo answer.',
      properties: { source: 'tip', ' city ': 'Lyon' },
    });
    expect(edited).toMatchObject({ label: 'The seller', notes: 'Called on Monday.\nNo answer.', properties: { source: 'tip', city: 'Lyon' } });
    expect(await core.call('entities.get', { id: entity.id })).toEqual(edited);
    expect(events).toEqual([{ investigationId: inv, added: 0, removed: 0 }]);

    // Only what is given changes; an empty label clears it.
    const cleared = await core.call('entities.update', { id: entity.id, label: '' });
    expect(cleared).toMatchObject({ label: null, notes: 'Called on Monday.\nNo answer.', properties: { source: 'tip', city: 'Lyon' } });
  });

  it('a tool finding the entity again keeps the notes', async () => {
    const { entity } = await core.call('entities.add', { investigationId: inv, type: 'domain', value: 'example.com' });
    await core.call('entities.update', { id: entity.id, notes: 'registrar is slow' });
    await core.call('entities.add', { investigationId: inv, type: 'domain', value: 'EXAMPLE.com', properties: { ns: 'a' } });
    expect((await core.call('entities.get', { id: entity.id })).notes).toBe('registrar is slow');
  });

  it.each([
    ['nothing to change', {}, 'id', /nothing to change/],
    ['a property without a name', { properties: { '  ': 1 } }, 'properties', /a property needs a name/],
    ['notes that are too long', { notes: 'x'.repeat(NOTES_MAX + 1) }, 'notes', /notes are at most/],
    ['a label that is too long', { label: 'x'.repeat(501) }, 'label', /at most 500/],
  ])('refuses %s with invalid_input on the field, changing nothing', async (_what, patch, field, message) => {
    const { entity } = await core.call('entities.add', { investigationId: inv, type: 'username', value: 'alice', label: 'A' });
    const err = await core.call('entities.update', { id: entity.id, ...patch }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input' });
    const issues = (err as { details?: { issues?: { path: (string | number)[]; message: string }[] } }).details?.issues ?? [];
    expect(
      issues.some((i) => i.path[0] === field && message.test(i.message)),
      JSON.stringify(err),
    ).toBe(true);
    expect(await core.call('entities.get', { id: entity.id })).toEqual(entity);
  });

  it('an unknown entity is not_found', async () => {
    await expect(core.call('entities.update', { id: 'ent_gone', notes: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('entities.deleteMany (the table bulk delete)', () => {
  it('deletes every id and their links in one go; one unknown id deletes nothing', async () => {
    const ids = [];
    for (const v of ['a', 'b', 'c']) ids.push((await core.call('entities.add', { investigationId: inv, type: 'username', value: v })).entity.id);
    await core.call('links.add', { investigationId: inv, sourceId: ids[0]!, targetId: ids[2]!, type: 'related' });
    await expect(core.call('entities.deleteMany', { ids: [ids[0]!, 'ent_gone'] })).rejects.toMatchObject({ code: 'not_found' });
    expect((await core.call('entities.list', { investigationId: inv })).total).toBe(3);

    expect(await core.call('entities.deleteMany', { ids: [ids[0]!, ids[1]!, ids[0]!] })).toEqual({ deleted: 2 });
    const left = await core.call('entities.list', { investigationId: inv });
    expect(left.items.map((e) => e.value)).toEqual(['c']);
    expect((await core.call('links.list', { investigationId: inv })).total).toBe(0);
  });
});
