import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { startReceiver, type TestReceiver } from '../testing/webhook-receiver.ts';
import { createTeamToken, startServerProcess, type ServerProcess } from './testing.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;

/** SPEC §3.9 "Team events": a desktop publishes the chosen event types through a durable outbox; team webhooks get each once. */
describe('desktop events published to the team server', () => {
  let serverDir: string;
  let server: ServerProcess;
  let token: string;
  let core: Core;
  let rx: TestReceiver;
  const env = { SYNC_ALLOW_SUBNETS: '127.0.0.1/32' };

  beforeAll(async () => {
    serverDir = tempDir('dossier-sync-events-');
    token = await createTeamToken(serverDir, 'investigators');
    server = await startServerProcess(serverDir, { env });
    rx = await startReceiver();
    core = await tempCore();
  });
  afterAll(async () => {
    await core?.dispose();
    await server?.stop();
    await rx?.close();
    rmSync(serverDir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
  };

  it('events written while the server is down are published after it is back, each once; other types and earlier history stay home', async () => {
    const before = await core.call('investigations.create', { name: 'before connecting' });
    await core.call('sync.connect', { server: server.url, token });
    const atConnect = (await core.ctx.db.selectFrom('sync_link').select('events_cursor').executeTakeFirstOrThrow()).events_cursor;
    expect(atConnect).toBeGreaterThan(0);
    await core.ctx.settings.set('sync.publishEvents', ['investigation.created']);
    const hook = await api('POST', '/api/v1/webhooks', { url: rx.url, events: ['investigation.created', 'investigation.updated'] });

    // Offline: the server is gone; the desktop keeps working and its events wait in the outbox.
    const port = new URL(server.url).port;
    await server.stop();
    const made = [];
    for (const name of ['one', 'two', 'three']) made.push(await core.call('investigations.create', { name }));
    await core.call('investigations.update', { id: made[0]!.id, name: 'one (renamed)' }); // not a published type
    await expect(core.call('sync.now', {})).rejects.toMatchObject({ code: 'unavailable' });

    server = await startServerProcess(serverDir, { port: Number(port), env });
    const r = await core.call('sync.now', {});
    expect(r.published).toBe(3);
    const got = await rx.waitFor(3);
    const outbox = await core.ctx.db.selectFrom('outbox').select(['id', 'type']).where('type', '=', 'investigation.created').orderBy('seq').execute();
    // The webhook-id is the desktop's own event id; the one from before connecting is not among them.
    expect(got.map((g) => g.headers['webhook-id'])).toEqual(outbox.slice(1).map((o) => o.id));
    expect(got.map((g) => (JSON.parse(g.body) as { data: { investigation: { name: string } } }).data.investigation.name)).toEqual(['one', 'two', 'three']);
    expect(JSON.stringify(got)).not.toContain(before.id);

    // Nothing new: nothing published. A lost cursor (a crash before it was committed) re-sends, and the server delivers nothing twice.
    expect((await core.call('sync.now', {})).published).toBe(0);
    await core.ctx.db.updateTable('sync_link').set({ events_cursor: atConnect }).execute();
    expect((await core.call('sync.now', {})).published).toBe(0);
    const deliveries = await api('GET', `/api/v1/webhooks/${String(hook.id)}/deliveries`);
    expect(deliveries.items).toHaveLength(3);
    expect(rx.received).toHaveLength(3);
  });
});
