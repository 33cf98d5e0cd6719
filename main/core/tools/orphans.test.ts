import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { ORPHANED_RUN_ERROR } from './orphans.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'dossier');

// A site that takes the connection and never answers: the run stays `running` until its process dies.
let hang: Server;
let url: string;
beforeAll(async () => {
  hang = createServer(() => {});
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  hang.closeAllConnections();
  await new Promise((r) => hang.close(r));
});

describe('single tool runs whose process died', () => {
  it('a run left running by kill -9 is failed at the next start', async () => {
    const dataDir = tempDir();
    const setup = await tempCore({ dataDir });
    const inv = await setup.call('investigations.create', { name: 'orphans' });
    await setup.close();

    const child = spawn(
      process.execPath,
      [BIN, '--data-dir', dataDir, 'tool', 'run', '--investigation', inv.id, '--tool', 'http.probe', '--input', url, '--param', 'timeoutMs=120000'],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const db = new Database(join(dataDir, 'dossier.db'), { readonly: true });
    const t0 = Date.now();
    for (;;) {
      const row = db.prepare(`select status from tool_runs limit 1`).get() as { status: string } | undefined;
      if (row?.status === 'running') break;
      if (Date.now() - t0 > 60_000) throw new Error('the run never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    db.close();
    child.kill('SIGKILL');
    await exited;

    const next = await tempCore({ dataDir });
    try {
      const runs = await next.call('toolRuns.list', { investigationId: inv.id });
      expect(runs.items).toHaveLength(1);
      expect(runs.items[0]).toMatchObject({ status: 'failed', error: ORPHANED_RUN_ERROR, errorKind: 'aborted' });
      expect(runs.items[0]!.finishedAt).not.toBeNull();
    } finally {
      await next.dispose();
    }
  });

  it('leaves alone a running run whose owner process is alive', async () => {
    const dataDir = tempDir();
    const first = await tempCore({ dataDir });
    const inv = await first.call('investigations.create', { name: 'live' });
    // A run another live process (this one) holds.
    first.ctx.sqlite
      .prepare(
        `insert into tool_runs (id, investigation_id, tool, input_type, input_value, params, status, started_at, entity_count, created_count, entity_ids, egress, owner)
         values ('run_live', ?, 'http.probe', 'url', 'http://x.invalid/', '{}', 'running', 1, 0, 0, '[]', 'direct', ?)`,
      )
      .run(inv.id, `${hostname()}|${process.pid}|abcd1234`);
    await first.close();
    const second = await tempCore({ dataDir });
    try {
      expect((await second.call('toolRuns.get', { id: 'run_live' })).status).toBe('running');
    } finally {
      await second.dispose();
    }
  });
});
