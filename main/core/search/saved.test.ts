import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { FILTER_SCHEMA_VERSION, type Filter } from '../../../preload/contract/filters.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
beforeEach(async () => {
  core = await tempCore();
});
afterEach(async () => {
  await core.dispose();
});

const ru: Filter = { or: [{ field: 'value', op: 'ends_with', value: '.ru' }, { field: 'label', op: 'contains', value: 'joined' }] };

describe('saved filters', () => {
  it('save, list per list, rename, replace only when asked, delete', async () => {
    const a = await core.call('filters.saved.save', { list: 'entities', name: 'Russian finds', filter: ru });
    expect(a).toMatchObject({ list: 'entities', name: 'Russian finds', filter: ru, version: FILTER_SCHEMA_VERSION });
    await core.call('filters.saved.save', { list: 'deliveries', name: 'Russian finds', filter: { and: [{ field: 'status', op: 'is', value: 'dead' }] } });
    expect((await core.call('filters.saved.list', { list: 'entities' })).map((f) => f.name)).toEqual(['Russian finds']);
    expect(await core.call('filters.saved.list', {})).toHaveLength(2);

    await expect(core.call('filters.saved.save', { list: 'entities', name: 'Russian finds', filter: ru })).rejects.toMatchObject({ code: 'conflict' });
    const narrower: Filter = { and: [{ field: 'type', op: 'is', value: 'email' }] };
    const replaced = await core.call('filters.saved.save', { list: 'entities', name: 'Russian finds', filter: narrower, replace: true });
    expect(replaced).toMatchObject({ id: a.id, filter: narrower });

    const b = await core.call('filters.saved.save', { list: 'entities', name: 'Other', filter: ru });
    await expect(core.call('filters.saved.rename', { id: b.id, name: 'Russian finds' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await core.call('filters.saved.rename', { id: b.id, name: 'Renamed' })).toMatchObject({ id: b.id, name: 'Renamed', filter: ru });

    await core.call('filters.saved.delete', { id: b.id });
    expect((await core.call('filters.saved.list', { list: 'entities' })).map((f) => f.name)).toEqual(['Russian finds']);
    await expect(core.call('filters.saved.delete', { id: b.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a filter that does not fit its list is refused when saved, and nothing is stored', async () => {
    await expect(core.call('filters.saved.save', { list: 'relay_requests', name: 'x', filter: ru })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/unknown field "value" for relay_requests/),
    });
    await expect(core.invoke('filters.saved.save', { list: 'nope', name: 'x', filter: ru })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await core.call('filters.saved.list', {})).toEqual([]);
  });
});
