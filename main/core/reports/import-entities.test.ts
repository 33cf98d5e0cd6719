import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCore, tempDir } from '../testing/temp-core.ts';

let core: Awaited<ReturnType<typeof tempCore>>;
let inv: string;
const dir = tempDir('dossier-entcsv-');
const csv = join(dir, 'people.csv');

beforeAll(async () => {
  core = await tempCore();
  inv = (await core.call('investigations.create', { name: 'csv import' })).id;
  writeFileSync(csv, '\uFEFFhandle,Full Name,city,notes\nalice_1,Alice One,Paris,"met at ""con"", 2024"\n@Bob_2,Bob Two,Berlin,\nalice_1,,Paris,dup\n\n  ,Nobody,Nowhere,\n');
});
afterAll(() => core.dispose());

const count = async () => Number((await core.ctx.db.selectFrom('entities').select((eb) => eb.fn.countAll<number>().as('n')).where('investigation_id', '=', inv).executeTakeFirstOrThrow()).n);

describe('entity CSV import with a column mapping', () => {
  it('maps the value, label and property columns; duplicates merge; blank values are skipped', async () => {
    const r = await core.call('reports.importEntities', { investigationId: inv, source: { path: csv }, type: 'username', valueColumn: 'handle', labelColumn: 'full name', propertyColumns: ['city', '4'] });
    expect(r).toEqual({ investigationId: inv, type: 'username', rows: 3, created: 2, merged: 1 });
    const list = await core.call('entities.list', { investigationId: inv });
    const alice = list.items.find((e) => e.value === 'alice_1')!;
    expect(alice).toMatchObject({ type: 'username', label: 'Alice One', properties: { city: 'Paris', notes: 'dup' } });
    const bob = list.items.find((e) => e.normalized === 'bob_2')!;
    expect(bob.properties).toEqual({ city: 'Berlin' });
    const discovered = await core.ctx.db.selectFrom('outbox').select('id').where('type', '=', 'entity.discovered').where('investigation_id', '=', inv).execute();
    expect(discovered).toHaveLength(2);
  });

  it('refuses an unknown column before writing anything, naming the columns there are', async () => {
    const before = await count();
    await expect(core.call('reports.importEntities', { investigationId: inv, source: { path: csv }, type: 'email', valueColumn: 'mail' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('no column "mail" (columns: handle, Full Name, city, notes)'),
    });
    await expect(core.call('reports.importEntities', { investigationId: inv, source: { path: csv }, type: 'email', valueColumn: 'handle', propertyColumns: ['9'] })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await count()).toBe(before);
  });

  it('writes nothing when a row deep in the file is bad', async () => {
    const bad = join(dir, 'bad.csv');
    let text = 'value\n';
    for (let i = 0; i < 3000; i++) text += `user_${i}\n`;
    text += `${'x'.repeat(5000)}\n`;
    writeFileSync(bad, text);
    const before = await count();
    await expect(core.call('reports.importEntities', { investigationId: inv, source: { path: bad }, type: 'username', valueColumn: 'value' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('line 3002') });
    expect(await count()).toBe(before);
  });

  it('refuses a text file and an unknown investigation', async () => {
    const txt = join(dir, 'list.txt');
    writeFileSync(txt, 'a\nb\n');
    await expect(core.call('reports.importEntities', { investigationId: inv, source: { path: txt }, type: 'username', valueColumn: '1' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.call('reports.importEntities', { investigationId: 'inv_none', source: { path: csv }, type: 'username', valueColumn: 'handle' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
