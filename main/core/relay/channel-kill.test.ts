import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { channelServer, loggedCount, postToChannel } from '../testing/channels.ts';

const BIN = fileURLToPath(new URL('../../../bin/dossier', import.meta.url));
const N = 2000;

describe('kill -9 of the consuming process mid-stream (real subprocess)', () => {
  let srv: Awaited<ReturnType<typeof channelServer>>;
  let dataDir: string;
  beforeAll(async () => {
    srv = await channelServer();
    dataDir = tempDir('dossier-chan-kill-');
  });
  afterAll(async () => {
    await srv?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the restarted relay resumes exactly after the last committed request: all N, none twice', { timeout: 180_000 }, async () => {
    const setup = await tempCore({ dataDir });
    await setup.call('sync.connect', { server: srv.server.url, token: srv.token });
    const ch = await srv.channel('kill');
    const ep = await setup.call('relay.endpoints.create', { slug: 'kill', provider: 'none', channelId: ch.id });
    await setup.close();
    // One after another, so the bodies' order is the stream's order.
    for (let i = 0; i < N; i++) expect(await postToChannel(ch.url, `k${i}`)).toBe(202);

    const proc = spawn(process.execPath, [BIN, '--data-dir', dataDir, '--json', 'relay', 'start', '--port', '0'], {
      env: { ...process.env, DOSSIER_CLI: 'tsx', DOSSIER_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: proc.stdout! }).once('line', () => resolve());
      proc.once('exit', (code) => reject(new Error(`relay start exited ${code}: ${stderr}`)));
    });
    // Watch its log through a second connection and kill it once it is part-way through.
    const reader = new SQLite(join(dataDir, 'dossier.db'), { readonly: true });
    const count = () => Number(reader.prepare('select count(*) from relay_requests where endpoint_id = ?').pluck().get(ep.id));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (count() >= 100) {
            clearInterval(t);
            resolve();
          }
        }, 5);
        proc.once('exit', () => {
          clearInterval(t);
          reject(new Error(`relay start died: ${stderr}`));
        });
      });
      proc.kill('SIGKILL');
      await exited;
      const atKill = count();
      expect(atKill).toBeGreaterThan(0);
      expect(atKill).toBeLessThan(N);
    } finally {
      reader.close();
    }

    const again = await tempCore({ dataDir });
    try {
      await again.startWorkers(['relay.channels']);
      await loggedCount(again, ep.id, N);
      await again.relay.channels.stop();
      const bodies = (again.ctx.sqlite.prepare('select body from relay_requests where endpoint_id = ? order by id').pluck().all(ep.id) as Buffer[]).map((b) =>
        b.toString(),
      );
      expect(bodies).toHaveLength(N);
      expect(bodies).toEqual(Array.from({ length: N }, (_, i) => `k${i}`));
    } finally {
      await again.close();
    }
  });
});
