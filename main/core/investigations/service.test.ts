import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { DossierError } from '../../../preload/contract/errors.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
beforeEach(async () => {
  core = await tempCore();
});
afterEach(async () => {
  await core.dispose();
});

const outbox = () => core.ctx.db.selectFrom('outbox').selectAll().orderBy('seq').execute();

describe('investigations', () => {
  it('creates, lists with search and status filter, updates, archives', async () => {
    const a = await core.call('investigations.create', { name: 'Phishing kit', description: 'kit seen on forum', tags: ['fraud', 'fraud', 'kit'] });
    await core.call('investigations.create', { name: 'Sockpuppets' });
    expect(a.tags).toEqual(['fraud', 'kit']);
    expect(a.status).toBe('active');

    const all = await core.call('investigations.list', {});
    expect(all.total).toBe(2);
    const found = await core.call('investigations.list', { search: 'forum' });
    expect(found.items.map((i) => i.name)).toEqual(['Phishing kit']);

    const archived = await core.call('investigations.update', { id: a.id, status: 'archived', name: 'Phishing kit 2' });
    expect(archived.name).toBe('Phishing kit 2');
    expect((await core.call('investigations.list', { status: 'archived' })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await core.call('investigations.list', { status: 'active' })).total).toBe(1);

    const page = await core.call('investigations.list', { limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(2);
  });

  it('search treats % and _ literally', async () => {
    await core.call('investigations.create', { name: '100% legit' });
    await core.call('investigations.create', { name: '100 legit' });
    expect((await core.call('investigations.list', { search: '0%' })).items.map((i) => i.name)).toEqual(['100% legit']);
  });

  it('writes investigation.* events to the outbox with the change', async () => {
    const a = await core.call('investigations.create', { name: 'A' });
    await core.call('investigations.update', { id: a.id, description: 'x' });
    await core.call('investigations.delete', { id: a.id });
    const events = await outbox();
    expect(events.map((e) => e.type)).toEqual(['investigation.created', 'investigation.updated', 'investigation.deleted']);
    expect(JSON.parse(events[0]!.payload).investigation.name).toBe('A');
  });

  it('a failing mutation leaves neither the change nor its event', async () => {
    await expect(core.call('investigations.update', { id: 'inv_missing', name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.call('investigations.delete', { id: 'inv_missing' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await outbox()).toHaveLength(0);

    // Make the outbox insert fail inside the transaction: the investigation must not exist afterwards.
    core.ctx.sqlite.exec(`create trigger outbox_fail before insert on outbox begin select raise(abort, 'outbox down'); end;`);
    await expect(core.call('investigations.create', { name: 'Doomed' })).rejects.toThrow(/outbox down/);
    expect((await core.call('investigations.list', {})).total).toBe(0);
  });

  it('rejects invalid input with a typed error and changes nothing', async () => {
    for (const bad of [{}, { name: '' }, { name: '   ' }, { name: 5 }, { name: 'x'.repeat(201) }]) {
      const err = await core.invoke('investigations.create', bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DossierError);
      expect((err as DossierError).code).toBe('invalid_input');
    }
    await expect(core.invoke('investigations.update', { id: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
    // An unknown method answers the same code on every face (#15 item 4: not_found, as the HTTP bridge always did).
    await expect(core.invoke('nope.method' as never, {})).rejects.toMatchObject({ code: 'not_found' });
    expect((await core.call('investigations.list', {})).total).toBe(0);
  });

  it('delete cascades to entities and links', async () => {
    const a = await core.call('investigations.create', { name: 'A' });
    const b = await core.call('investigations.create', { name: 'B' });
    const u = await core.call('entities.add', { investigationId: a.id, type: 'username', value: 'alice' });
    const e = await core.call('entities.add', { investigationId: a.id, type: 'email', value: 'alice@example.com' });
    await core.call('links.add', { investigationId: a.id, sourceId: u.entity.id, targetId: e.entity.id, type: 'has_email' });
    await core.call('entities.add', { investigationId: b.id, type: 'username', value: 'bob' });
    await core.call('investigations.delete', { id: a.id });
    const ents = await core.ctx.db.selectFrom('entities').select('investigation_id').execute();
    expect(ents.map((x) => x.investigation_id)).toEqual([b.id]);
    expect(await core.ctx.db.selectFrom('links').selectAll().execute()).toHaveLength(0);
  });

  it('an investigation counts as updated when something is found in it, and lists in that order', async () => {
    let now = Date.parse('2026-12-01T10:00:00.000Z');
    const clocked = await tempCore({ clock: { now: () => now } });
    try {
      const quiet = await clocked.call('investigations.create', { name: 'quiet' });
      now += 60_000;
      const busy = await clocked.call('investigations.create', { name: 'busy' });
      now += 60_000;
      await clocked.call('investigations.update', { id: quiet.id, description: 'edited later' });
      expect((await clocked.call('investigations.list', {})).items.map((i) => i.name)).toEqual(['quiet', 'busy']);
      now += 3_600_000;
      await clocked.call('entities.add', { investigationId: busy.id, type: 'username', value: 'alice' });
      expect((await clocked.call('investigations.get', { id: busy.id })).updatedAt).toBe(new Date(now).toISOString());
      expect((await clocked.call('investigations.list', {})).items.map((i) => i.name)).toEqual(['busy', 'quiet']);
    } finally {
      await clocked.dispose();
    }
  });
});
