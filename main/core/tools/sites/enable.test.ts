import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../../testing/temp-core.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
beforeAll(async () => {
  core = await tempCore();
});
afterAll(async () => {
  await core.dispose();
});

describe('sites.setEnabled', () => {
  it('turns named sites off and on again (case-insensitive names); an unknown name changes nothing', async () => {
    const before = await core.call('sites.list', { limit: 5000 });
    const [a, b] = before.items.filter((s) => !s.disabled).map((s) => s.name);
    const off = await core.call('sites.setEnabled', { names: [a!, b!.toUpperCase()], enabled: false });
    expect(off).toEqual({ changed: 2, enabled: before.enabled - 2 });
    const after = await core.call('sites.list', { limit: 5000 });
    expect(after.source).toBe('data');
    expect(after.items.filter((s) => s.disabled).map((s) => s.name)).toEqual(expect.arrayContaining([a, b]));

    await expect(core.call('sites.setEnabled', { names: [a!, 'NoSuchSite'], enabled: true })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'unknown site: NoSuchSite',
    });
    expect((await core.call('sites.list', { limit: 5000 })).enabled).toBe(before.enabled - 2);

    expect(await core.call('sites.setEnabled', { names: [a!, b!], enabled: true })).toEqual({ changed: 2, enabled: before.enabled });
    expect(await core.call('sites.setEnabled', { names: [a!], enabled: true })).toEqual({ changed: 0, enabled: before.enabled });
  });
});
