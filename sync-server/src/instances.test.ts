import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPgDatabase, type TempDatabase } from './testing/pg.ts';
import { runSyncServer, serveProcess, stopProcess } from './testing/processes.ts';

describe('two instances on one PostgreSQL database (real processes)', () => {
  let db: TempDatabase;
  const procs: ChildProcess[] = [];
  beforeAll(async () => {
    db = await tempPgDatabase();
  });
  afterAll(async () => {
    await Promise.all(procs.map((p) => stopProcess(p)));
    await db?.drop();
  });

  it('both migrate at once on a fresh database; a write through one is read through the other; SIGTERM stops each cleanly', async () => {
    const env = { DATABASE_URL: db.url };
    const [a, b] = await Promise.all([serveProcess(env), serveProcess(env)]);
    procs.push(a.proc, b.proc);
    const team = await runSyncServer(['create-team', 'shared', '--json'], env);
    expect(team.code).toBe(0);
    const { token } = JSON.parse(team.stdout) as { token: string };
    expect(token).toMatch(/^dst_[A-Za-z0-9_-]{43}$/);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${a.url}/api/v1/templates`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'via-a', definition: { x: 1 } }) });
    expect(created.status).toBe(201);
    const feed = (await (await fetch(`${b.url}/api/v1/templates?since=0`, { headers: auth })).json()) as { items: { name: string }[] };
    expect(feed.items.map((t) => t.name)).toEqual(['via-a']);
    // A member revoked through one instance is refused by the other at once.
    const m = (await (
      await fetch(`${a.url}/api/v1/members`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'tmp', role: 'member' }) })
    ).json()) as { member: { id: string }; token: string };
    expect((await fetch(`${b.url}/api/v1/me`, { headers: { authorization: `Bearer ${m.token}` } })).status).toBe(200);
    expect((await fetch(`${a.url}/api/v1/members/${m.member.id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect((await fetch(`${b.url}/api/v1/me`, { headers: { authorization: `Bearer ${m.token}` } })).status).toBe(401);
    expect(await stopProcess(a.proc)).toBe(0);
    expect(await stopProcess(b.proc)).toBe(0);
  });

  it('rate limits hold across instances (shared PostgreSQL store)', async () => {
    const env = { DATABASE_URL: db.url, SYNC_RATE_LIMIT: '6' };
    const [a, b] = await Promise.all([serveProcess(env), serveProcess(env)]);
    procs.push(a.proc, b.proc);
    const { token } = JSON.parse((await runSyncServer(['create-team', 'limited', '--json'], env)).stdout) as { token: string };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${(i % 2 ? a : b).url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});

describe('bin/sync-server on SQLite', () => {
  it('comes up with no set-up in --data-dir, bad usage exits 2, and a bad DATABASE_URL is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-sync-bin-'));
    try {
      const s = await serveProcess({ DATABASE_URL: '' }, ['--data-dir', dir]);
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await stopProcess(s.proc)).toBe(0);
      expect((await runSyncServer(['serve', '--port', 'x'], {})).code).toBe(2);
      const bad = await runSyncServer(['create-team', 't', '--data-dir', dir], { DATABASE_URL: 'mysql://nope' });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
