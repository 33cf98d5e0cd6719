import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { createTeamToken, startServerProcess, type ServerProcess } from './testing.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;

const steps = [{ tool: 'phone.parse', input: '{{phone}}' }];

/** Two desktops (two data directories) against one real server process. */
describe('team sync of templates, desktop to desktop', () => {
  let serverDir: string;
  let server: ServerProcess;
  let token: string;
  let a: Core;
  let b: Core;

  beforeAll(async () => {
    serverDir = tempDir('dossier-sync-server-');
    token = await createTeamToken(serverDir, 'investigators');
    server = await startServerProcess(serverDir);
    a = await tempCore();
    b = await tempCore();
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
    await server?.stop();
    rmSync(serverDir, { recursive: true, force: true });
  });

  it('connect checks the token and stores it sealed; a bad token or an unreachable server changes nothing', async () => {
    await expect(a.call('sync.connect', { server: server.url, token: 'dst_' + 'a'.repeat(43) })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(a.call('sync.connect', { server: 'http://127.0.0.1:1', token })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(a.call('sync.connect', { server: server.url, token: 'nope' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await a.call('sync.status', {})).connected).toBe(false);
    const s = await a.call('sync.connect', { server: server.url, token });
    expect(s).toMatchObject({ connected: true, team: { name: 'investigators' }, member: { name: 'admin', role: 'admin' }, pending: 0 });
    const stored = await a.ctx.db.selectFrom('sync_link').select('token_sealed').executeTakeFirstOrThrow();
    expect(stored.token_sealed).not.toContain(token);
    expect(a.ctx.secrets.decrypt(stored.token_sealed)).toBe(token);
    // The sync.server setting is the server last connected to, and names it when none is given.
    expect(await a.ctx.settings.get('sync.server')).toBe(server.url.replace(/\/+$/, ''));
    await b.ctx.settings.set('sync.server', server.url);
    expect(await b.call('sync.connect', { token })).toMatchObject({ connected: true, server: server.url.replace(/\/+$/, '') });
  });

  it('connect without a server and with an empty sync.server setting says what is missing', async () => {
    const c = await tempCore();
    try {
      await expect(c.call('sync.connect', { token })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/sync\.server/) });
    } finally {
      await c.dispose();
    }
  });

  it('A shares, B pulls; both edit offline; A syncs, B syncs → B keeps both and is told', async () => {
    await expect(b.call('templates.share', { id: 'nothing' })).rejects.toMatchObject({ code: 'not_found' });
    const t = await a.call('templates.create', { name: 'phones', description: 'original', steps });
    expect((await a.call('templates.share', { id: 'phones' })).shared).toBe(true);
    expect(await a.call('sync.templates', {})).toEqual([{ id: t.id, name: 'phones', version: null, updatedBy: null, updatedAt: null, pending: true }]);
    expect(await a.call('sync.now', {})).toMatchObject({ pushed: 1, conflicts: [] });
    // The Team section's list: the server's version and who made it.
    expect(await a.call('sync.templates', {})).toEqual([
      { id: t.id, name: 'phones', version: 1, updatedBy: 'admin', updatedAt: expect.stringMatching(/^\d{4}-/), pending: false },
    ]);
    expect((await a.call('sync.status', {})).pending).toBe(0);

    const pulled = await b.call('sync.now', {});
    expect(pulled).toMatchObject({ pushed: 0, pulled: 1, conflicts: [] });
    expect(await b.call('sync.templates', {})).toMatchObject([{ id: t.id, version: 1, updatedBy: 'admin', pending: false }]);
    expect(await b.call('templates.get', { id: 'phones' })).toMatchObject({
      id: t.id,
      description: 'original',
      shared: true,
      steps: [{ tool: 'phone.parse', input: '{{phone}}' }],
    });

    // Offline edits on both sides (nothing talks to the server until each syncs).
    await a.call('templates.update', { id: t.id, description: 'edited by A' });
    await b.call('templates.update', { id: t.id, description: 'edited by B' });
    expect((await b.call('sync.status', {})).pending).toBe(1);
    expect(await a.call('sync.now', {})).toMatchObject({ pushed: 1, conflicts: [] });

    const told: unknown[] = [];
    const changed: { id: string; kind: string }[] = [];
    const off = b.bus.on('sync.conflict', (p) => told.push(p));
    const offChanged = b.bus.on('templates.changed', (p) => changed.push(p));
    const r = await b.call('sync.now', {});
    off();
    offChanged();
    expect(r.conflicts).toHaveLength(1);
    const c = r.conflicts[0]!;
    expect(c).toMatchObject({ templateId: t.id, templateName: 'phones', serverVersion: 2, serverDeleted: false });
    expect(c.copyName).toMatch(/^phones \(conflict \d{4}-\d\d-\d\d \d\d:\d\d\)$/);
    expect(told).toEqual([{ conflicts: [c] }]);
    // Views re-read: the template now holds the team's version, and the copy is new.
    expect(changed).toEqual(
      expect.arrayContaining([
        { id: t.id, kind: 'updated' },
        { id: c.copyId, kind: 'created' },
      ]),
    );
    // The server's copy is the template; B's edit is kept beside it as a local template.
    expect(await b.call('templates.get', { id: t.id })).toMatchObject({ description: 'edited by A', shared: true });
    expect(await b.call('templates.get', { id: c.copyName! })).toMatchObject({ description: 'edited by B', shared: false });
    expect((await b.call('sync.status', {})).conflicts).toEqual([c]);
    // Nothing of B's edit reached the team.
    expect(await a.call('sync.now', {})).toMatchObject({ pulled: 0 });
    expect((await a.call('templates.get', { id: t.id })).description).toBe('edited by A');
    await b.call('sync.conflicts.dismiss', { id: c.id });
    expect((await b.call('sync.status', {})).conflicts).toEqual([]);
  });

  it('a conflict is settled: keep mine pushes the local edit over the team version, keep theirs deletes the copy', async () => {
    const conflictOn = async (name: string) => {
      const t = await a.call('templates.create', { name, description: 'base', steps });
      await a.call('templates.share', { id: t.id });
      await a.call('sync.now', {});
      await b.call('sync.now', {});
      await a.call('templates.update', { id: t.id, description: 'A wins the race' });
      await b.call('templates.update', { id: t.id, description: 'B edited offline' });
      await a.call('sync.now', {});
      const [c] = (await b.call('sync.now', {})).conflicts;
      return { t, c: c! };
    };
    const mine = await conflictOn('settle-mine');
    expect(await b.call('sync.conflicts.resolve', { id: mine.c.id, keep: 'mine' })).toEqual({ id: mine.c.id, kept: 'mine' });
    expect(await b.call('templates.get', { id: mine.t.id })).toMatchObject({ description: 'B edited offline', shared: true });
    await expect(b.call('templates.get', { id: mine.c.copyId! })).rejects.toMatchObject({ code: 'not_found' });
    expect((await b.call('sync.status', {})).conflicts.map((x) => x.id)).not.toContain(mine.c.id);
    expect(await b.call('sync.now', {})).toMatchObject({ pushed: 1, conflicts: [] });
    await a.call('sync.now', {});
    expect((await a.call('templates.get', { id: mine.t.id })).description).toBe('B edited offline');

    const theirs = await conflictOn('settle-theirs');
    await b.call('sync.conflicts.resolve', { id: theirs.c.id, keep: 'theirs' });
    expect((await b.call('templates.get', { id: theirs.t.id })).description).toBe('A wins the race');
    await expect(b.call('templates.get', { id: theirs.c.copyId! })).rejects.toMatchObject({ code: 'not_found' });
    expect((await b.call('sync.status', {})).pending).toBe(0);
    // A settled conflict is not settled twice.
    await expect(b.call('sync.conflicts.resolve', { id: theirs.c.id, keep: 'both' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a delete and an unshare travel as tombstones; unshare keeps the local copy', async () => {
    const t = await a.call('templates.create', { name: 'gone-soon', steps });
    await a.call('templates.share', { id: t.id });
    const kept = await a.call('templates.create', { name: 'keep-mine', steps });
    await a.call('templates.share', { id: kept.id });
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    expect((await b.call('templates.list', {})).items.map((x) => x.name)).toEqual(expect.arrayContaining(['gone-soon', 'keep-mine']));
    await a.call('templates.delete', { id: t.id });
    await a.call('templates.unshare', { id: kept.id });
    expect(await a.call('sync.now', {})).toMatchObject({ pushed: 2 });
    expect(await b.call('sync.now', {})).toMatchObject({ pulled: 2 });
    const names = (await b.call('templates.list', {})).items.map((x) => x.name);
    expect(names).not.toContain('gone-soon');
    expect(names).not.toContain('keep-mine');
    expect(await a.call('templates.get', { id: kept.id })).toMatchObject({ shared: false });
  });

  it('a server that is down: sync now fails clearly and loses nothing; the outbox drains when it is back', async () => {
    const t = await a.call('templates.create', { name: 'offline-work', steps });
    await a.call('templates.share', { id: t.id });
    const port = Number(new URL(server.url).port);
    expect(await server.stop()).toBe(0);
    await expect(a.call('sync.now', {})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/does not answer.*stay queued/) });
    await a.call('templates.update', { id: t.id, description: 'still offline' });
    const st = await a.call('sync.status', {});
    expect(st).toMatchObject({ pending: 2, lastError: expect.stringMatching(/does not answer/) });
    server = await startServerProcess(serverDir, { port });
    expect(await a.call('sync.now', {})).toMatchObject({ pushed: 1, conflicts: [] });
    expect(await a.call('sync.status', {})).toMatchObject({ pending: 0, lastError: null });
    await b.call('sync.now', {});
    expect(await b.call('templates.get', { id: 'offline-work' })).toMatchObject({ description: 'still offline', shared: true });
  });

  it('the background worker pushes soon after a shared template changes', async () => {
    const t = await a.call('templates.get', { id: 'offline-work' });
    await a.startWorkers(['sync']);
    const synced = new Promise<void>((resolve) => {
      const off = a.bus.on('sync.changed', (p) => {
        if (p.kind === 'synced') {
          off();
          resolve();
        }
      });
    });
    await a.call('templates.update', { id: t.id, description: 'pushed by the worker' });
    await synced;
    expect((await a.call('sync.status', {})).pending).toBe(0);
    await b.call('sync.now', {});
    expect((await b.call('templates.get', { id: t.id })).description).toBe('pushed by the worker');
  });

  it('disconnect forgets the link; shared templates stay as local ones', async () => {
    const r = await b.call('sync.disconnect', {});
    expect(r).toEqual({ disconnected: true, droppedChanges: 0 });
    expect(await b.call('sync.status', {})).toMatchObject({ connected: false, sharedTemplates: 0 });
    expect((await b.call('templates.get', { id: 'offline-work' })).shared).toBe(false);
    await expect(b.call('sync.now', {})).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not connected/) });
  });
});
