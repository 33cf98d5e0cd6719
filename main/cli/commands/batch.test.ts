import { execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { startSiteFixture, type SiteFixture } from '../../core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../../core/testing/fixtures/sites-manifest.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/dossier', import.meta.url));

let dataDir: string;
let fx: SiteFixture;
let inv: string;

function dossier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

function db() {
  return new Database(join(dataDir, 'dossier.db'), { readonly: true, fileMustExist: true });
}

function query<T>(sql: string, ...args: unknown[]): T[] {
  const d = db();
  try {
    return d.prepare(sql).all(...args) as T[];
  } finally {
    d.close();
  }
}

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-batch-');
  fx = await startSiteFixture({ claimed: ['user7', 'user42'], delayMs: 40 });
  writeFileSync(join(dataDir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxSlow', 'FxStatus'])));
  const host = new URL(fx.url).host;
  expect((await dossier('config', 'set', 'executor.hostRates', JSON.stringify({ [host]: { perSecond: 2000, burst: 100 } }))).code).toBe(0);
  inv = JSON.parse((await dossier('--json', 'investigation', 'create', 'cli batches')).stdout).id;
});
afterAll(async () => {
  await fx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dossier batch', { timeout: 240_000 }, () => {
  it('bad usage and bad input exit 2 and create nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['batch', 'run', '--investigation', inv, '--input', 'a'], /--tool or --template/],
      [['batch', 'run', '--investigation', inv, '--tool', 'username.sites'], /--input .* or --input-file/],
      [['batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'a', '--input-file', 'x.txt'], /one of them/],
      [['batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'a', '--max-parallel', '99'], /--max-parallel must be an integer from 1 to 50/],
      [['batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'a', '--param', 'novalue'], /key=value/],
      [['batch', 'run', '--investigation', inv, '--tool', 'no.such.tool', '--input', 'a'], /unknown tool/],
      [['batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--input-file', join(dataDir, 'missing.csv')], /file not found/],
      [['batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'a', '--column', 'x'], /--column applies to --input-file/],
      [['batch', 'run', '--investigation', 'inv_nope', '--tool', 'username.sites', '--input', 'a'], /not found/],
      [['batch', 'show', 'bat_nope'], /not found/],
      [['batch', 'run', '--tool', 'username.sites', '--input', 'a'], /required option/],
    ];
    // Independent processes: run them side by side to keep the suite short.
    const results = await Promise.all(cases.map(([args]) => dossier(...args)));
    results.forEach((r, i) => {
      const [args, msg] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
    });
    expect(query<{ n: number }>(`select count(*) as n from batches`)[0]!.n).toBe(0);
  });

  it('run works in the foreground, passes --param sites through, and --json prints the summary (exit 0 even with failures)', async () => {
    const r = await dossier('--json', 'batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--param', 'sites=FxStatus', '--input', 'user7', '--input', 'nobody', '--input', 'bad name', '--name', 'mixed');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(['id', 'status', 'total', 'completed', 'failed', 'cancelled']);
    expect(s).toMatchObject({ status: 'completed', total: 3, completed: 2, failed: 1, cancelled: 0 });
    // Only the named site was asked.
    expect(fx.hits.slow ?? 0).toBe(0);
    const accounts = JSON.parse((await dossier('--json', 'entity', 'list', '--investigation', inv, '--type', 'account')).stdout);
    expect(accounts.items.map((e: { properties: { site: string; username: string } }) => `${e.properties.site}:${e.properties.username}`)).toEqual(['FxStatus:user7']);
    const shown = await dossier('batch', 'show', s.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/status\s+completed/);
    expect(shown.stdout).toMatch(/3 total: 2 completed, 1 failed/);
    const list = JSON.parse((await dossier('--json', 'batch', 'list', '--investigation', inv)).stdout);
    expect(list.items.map((b: { name: string }) => b.name)).toContain('mixed');
  });

  it('survives kill -9 mid-batch: resume completes it with every operation completed exactly once', async () => {
    const users = Array.from({ length: 300 }, (_, i) => `user${i}`);
    const file = join(dataDir, 'users.csv');
    writeFileSync(file, 'handle,note\n' + users.map((u) => `${u},x`).join('\n') + '\n');
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, '--json', 'batch', 'run', '--investigation', inv, '--tool', 'username.sites', '--param', 'sites=FxSlow', '--input-file', file, '--column', 'handle', '--max-parallel', '8'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // Kill it once a good part, but not all, is committed.
    const t0 = Date.now();
    let batchId = '';
    for (;;) {
      const rows = query<{ id: string; completed: number }>(`select id, completed from batches where name != 'mixed' order by created_at desc limit 1`);
      if (rows[0] && rows[0].completed >= 60) {
        batchId = rows[0].id;
        break;
      }
      if (Date.now() - t0 > 60_000) throw new Error('the batch never got going');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const atKill = query<{ status: string; total: number; completed: number }>(`select status, total, completed from batches where id = ?`, batchId)[0]!;
    expect(atKill.status).toBe('running');
    expect(atKill.total).toBe(300);
    expect(atKill.completed).toBeLessThan(300);

    const r = await dossier('--json', 'batch', 'resume', batchId);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toEqual({ id: batchId, status: 'completed', total: 300, completed: 300, failed: 0, cancelled: 0 });
    const byStatus = query<{ status: string; n: number }>(`select status, count(*) as n from operations where batch_id = ? group by status`, batchId);
    expect(byStatus).toEqual([{ status: 'completed', n: 300 }]);
    // Exactly once: one completed attempt per operation, and the counters are the rows.
    const done = query<{ n: number; d: number }>(
      `select count(*) as n, count(distinct a.operation_id) as d from operation_attempts a join operations o on o.id = a.operation_id where o.batch_id = ? and a.outcome = 'completed'`,
      batchId,
    )[0]!;
    expect(done).toEqual({ n: 300, d: 300 });
    expect(new Set(query<{ input_value: string }>(`select input_value from operations where batch_id = ?`, batchId).map((o) => o.input_value))).toEqual(new Set(users));
    const events = query<{ type: string }>(`select type from outbox where payload like ? and type like 'batch.%'`, `%${batchId}%`).map((e) => e.type);
    expect(events).toEqual(['batch.created', 'batch.started', 'batch.completed']);
    const accounts = JSON.parse((await dossier('--json', 'entity', 'list', '--investigation', inv, '--type', 'account')).stdout);
    expect(accounts.items.map((e: { properties: { site: string; username: string } }) => `${e.properties.site}:${e.properties.username}`).sort()).toEqual([
      'FxSlow:user42',
      'FxSlow:user7',
      'FxStatus:user7',
    ]);
  });

  it('Ctrl-C on batch run pauses the batch and exits 130; resume finishes it, each operation once', async () => {
    const users = Array.from({ length: 200 }, (_, i) => `sig${i}`);
    const file = join(dataDir, 'sig.csv');
    writeFileSync(file, 'handle\n' + users.join('\n') + '\n');
    const child = spawn(
      process.execPath,
      [BIN, '--data-dir', dataDir, '--json', 'batch', 'run', '--investigation', inv, '--name', 'sigint', '--tool', 'username.sites', '--param', 'sites=FxSlow', '--input-file', file, '--column', 'handle', '--max-parallel', '4'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const t0 = Date.now();
    let batchId = '';
    for (;;) {
      const rows = query<{ id: string; completed: number }>(`select id, completed from batches where name = 'sigint'`);
      if (rows[0] && rows[0].completed >= 20) {
        batchId = rows[0].id;
        break;
      }
      if (Date.now() - t0 > 60_000) throw new Error('the batch never got going');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/paused; continue with: dossier batch resume/);
    expect(JSON.parse(stdout)).toMatchObject({ id: batchId, status: 'paused' });
    const atStop = query<{ status: string; completed: number }>(`select status, completed from batches where id = ?`, batchId)[0]!;
    expect(atStop.status).toBe('paused');
    expect(atStop.completed).toBeLessThan(200);
    expect(query<{ n: number }>(`select count(*) as n from operations where batch_id = ? and status = 'running'`, batchId)[0]!.n).toBe(0);

    const r = await dossier('--json', 'batch', 'resume', batchId);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: batchId, status: 'completed', total: 200, completed: 200, failed: 0, cancelled: 0 });
    const done = query<{ n: number; d: number }>(
      `select count(*) as n, count(distinct a.operation_id) as d from operation_attempts a join operations o on o.id = a.operation_id where o.batch_id = ? and a.outcome = 'completed'`,
      batchId,
    )[0]!;
    expect(done).toEqual({ n: 200, d: 200 });
  });

  it('cancel, retry and template commands', async () => {
    const tplFile = join(dataDir, 'tpl.json');
    writeFileSync(tplFile, JSON.stringify({ name: 'handles', description: 'check a handle', steps: [{ tool: 'username.sites', input: '{{username}}', params: { sites: 'FxStatus' } }] }));
    expect((await dossier('template', 'import', tplFile)).stdout).toMatch(/created handles/);
    expect((await dossier('template', 'import', tplFile)).code).toBe(2);
    expect((await dossier('template', 'import', join(dataDir, 'users.csv'))).code).toBe(2);
    expect((await dossier('template', 'list')).stdout).toMatch(/handles\s+1\s+1/);
    expect((await dossier('template', 'show', 'handles')).stdout).toMatch(/step 1: username.sites on \{\{username\}\}/);
    const out = join(dataDir, 'out.json');
    expect((await dossier('template', 'export', 'handles', '--out', out)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ dossierTemplate: 1, name: 'handles', maxDepth: 1 });
    const run = JSON.parse((await dossier('--json', 'batch', 'run', '--investigation', inv, '--template', 'handles', '--input', 'user42', '--input', 'x y')).stdout);
    expect(run).toMatchObject({ status: 'completed', total: 2, completed: 1, failed: 1 });
    const retry = JSON.parse((await dossier('--json', 'batch', 'retry', run.id)).stdout);
    expect(retry).toMatchObject({ id: run.id, status: 'completed', completed: 1, failed: 1 });
    expect(query<{ attempts: number }>(`select attempts from operations where batch_id = ? and status = 'failed'`, run.id)[0]!.attempts).toBe(1);
    expect(query<{ n: number }>(`select count(*) as n from operation_attempts a join operations o on o.id = a.operation_id where o.batch_id = ? and o.status = 'failed'`, run.id)[0]!.n).toBe(2);
    const cancelled = await dossier('--json', 'batch', 'cancel', run.id);
    expect(cancelled.code).toBe(2);
    expect(cancelled.stderr).toMatch(/already completed/);
  });
});
