import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { startSiteFixture, type SiteFixture } from '../../core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../../core/testing/fixtures/sites-manifest.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/dossier', import.meta.url));
let dataDir: string;
let fx: SiteFixture;

function dossier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end();
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
const json = async (args: string[]) => {
  const r = await dossier(['--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

beforeAll(async () => {
  fx = await startSiteFixture({ claimed: ['alice'] });
  dataDir = tempDir();
  writeFileSync(join(dataDir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxStatus', 'FxGone'])));
});
afterAll(async () => {
  await fx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each command is a fresh process through tsx: slow on a loaded machine, so one scenario with few commands.
describe('dossier watch / site check / verdict', { timeout: 400_000 }, () => {
  it('adds, runs, diffs, pauses, resumes and deletes a watch; checks sites; gives a verdict', async () => {
    const inv = (await json(['investigation', 'create', 'cli watch'])).id as string;
    const bad = await dossier(['watch', 'add', '--investigation', inv, '--tool', 'username.sites', '--input', 'alice', '--every', '5s']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/interval/);
    const w = await json(['watch', 'add', '--investigation', inv, '--tool', 'username.sites', '--input', 'alice', '--every', '6h', '--name', 'alice']);
    expect(w).toMatchObject({ name: 'alice', status: 'active', schedule: { every: 'every 6h' } });

    const first = await json(['watch', 'run', w.id as string]);
    expect(first).toMatchObject({ run: { seq: 1, status: 'completed', baseline: true }, counts: { new: 2 } });
    fx.routeClaims.set('gone', new Set());
    const second = await dossier(['watch', 'run', w.id as string]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('0 new, 1 vanished, 0 changed');
    expect(second.stdout).toContain(`- account ${fx.url}/gone/alice`);
    const shown = await json(['watch', 'show', w.id as string]);
    const runs = shown.recentRuns as { id: string; seq: number }[];
    expect(runs.map((r) => r.seq)).toEqual([2, 1]);
    const diff = await json(['watch', 'diff', runs[0]!.id, '--change', 'vanished']);
    expect(diff).toMatchObject({ total: 1, items: [{ change: 'vanished', type: 'account' }] });
    expect(await json(['watch', 'pause', w.id as string])).toMatchObject({ status: 'paused', nextRunAt: null });

    fx.routeClaims.delete('gone');
    fx.routeClaims.set('status', new Set());
    const check = await json(['site', 'check', '--sites', 'FxStatus,FxGone']);
    expect(check).toMatchObject({ checked: 2, degraded: 1, newlyDegraded: ['FxStatus'] });

    const entities = (await json(['entity', 'list', '--investigation', inv, '--type', 'account'])) as { items: { id: string }[] };
    const v = await json(['verdict', 'set', entities.items[0]!.id, 'false_positive', '--note', 'not her']);
    expect(v).toMatchObject({ verdict: 'false_positive', scope: 'site-username' });

    expect(await json(['watch', 'delete', w.id as string])).toMatchObject({ deleted: true });
  });
});
