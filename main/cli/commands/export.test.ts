import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/core.ts';
import { tempDir } from '../../core/testing/temp-core.ts';
import { seedInvestigation, type SeededInvestigation } from '../../core/testing/report-fixture.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'bin/dossier');
let dataDir: string;
let work: string;
let seed: SeededInvestigation;

function dossier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: work, env: { ...process.env, DOSSIER_HOME: '', NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-export-');
  work = tempDir('dossier-cli-out-');
  const core = await createCore({ dataDir, mode: 'test' });
  seed = await seedInvestigation(core);
  await core.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('dossier export / investigation import / entity import', () => {
  it('exports csv into a directory and gexf to a named file; the data directory keeps no copy', async () => {
    const csv = await dossier('--json', 'export', '--investigation', seed.investigationId, '--format', 'csv', '--out', 'csv-out');
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const r = JSON.parse(csv.stdout) as { files: { path: string }[]; entities: number };
    expect(r.files.map((f) => f.path)).toEqual([join(work, 'csv-out', 'entities.csv'), join(work, 'csv-out', 'links.csv')]);
    expect(readFileSync(join(work, 'csv-out', 'entities.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(seed.entities + 1);
    const gexf = await dossier('export', '--investigation', seed.investigationId, '--format', 'gexf', '--out', 'graph.gexf');
    expect(gexf.code).toBe(0);
    expect(gexf.stdout).toContain(`wrote ${join(work, 'graph.gexf')}`);
    expect(readFileSync(join(work, 'graph.gexf'), 'utf8')).toContain('<viz:color r="59" g="130" b="246"/>');
    expect(existsSync(join(dataDir, 'exports')) ? readdirSync(join(dataDir, 'exports')) : []).toEqual([]);
  }, 180_000);

  it('refuses a bad format and an unknown investigation with exit 2', async () => {
    const bad = await dossier('export', '--investigation', seed.investigationId, '--format', 'docx');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of json, csv, graphml, gexf, html, pdf');
    const missing = await dossier('export', '--investigation', 'inv_nope', '--format', 'json');
    expect(missing.code).toBe(2);
  }, 180_000);

  it('round-trips through json: export, then investigation import as a new investigation', async () => {
    const ex = await dossier('export', '--investigation', seed.investigationId, '--format', 'json', '--out', 'inv.json');
    expect(ex.code).toBe(0);
    const im = await dossier('--json', 'investigation', 'import', 'inv.json');
    expect(im.code).toBe(0);
    const r = JSON.parse(im.stdout) as { investigationId: string; entities: number; links: number };
    expect(r).toMatchObject({ entities: seed.entities, links: seed.links });
    expect(r.investigationId).not.toBe(seed.investigationId);
    const doc = JSON.parse(readFileSync(join(work, 'inv.json'), 'utf8')) as { entities: { type: string }[] };
    doc.entities[2]!.type = 'planet';
    writeFileSync(join(work, 'bad.json'), JSON.stringify(doc));
    const bad = await dossier('investigation', 'import', 'bad.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('$.entities[2].type');
  }, 180_000);

  it('imports entities from a CSV with a column mapping; a bad column exits 2 and writes nothing', async () => {
    writeFileSync(join(work, 'emails.csv'), 'name,address,team\nAda,ada@example.org,red\nBo,bo@example.org,blue\n');
    const list = async () => (JSON.parse((await dossier('--json', 'entity', 'list', '--investigation', seed.investigationId, '--type', 'email')).stdout) as { total: number }).total;
    const before = await list();
    const bad = await dossier('entity', 'import', 'emails.csv', '--investigation', seed.investigationId, '--type', 'email', '--value-column', 'mail');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no column "mail"');
    expect(await list()).toBe(before);
    const ok = await dossier('--json', 'entity', 'import', 'emails.csv', '--investigation', seed.investigationId, '--type', 'email', '--value-column', 'address', '--label-column', 'name', '--property-column', 'team');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 2, created: 2, merged: 0 });
    expect(await list()).toBe(before + 2);
  }, 180_000);

  it('leaves entities marked false positive out unless --include-false-positives', async () => {
    const core = await createCore({ dataDir, mode: 'test' });
    const reddit = seed.entityIds[2]!;
    await core.call('verdicts.set', { entityId: reddit, verdict: 'false_positive' });
    await core.close();
    const ids = (file: string) => (JSON.parse(readFileSync(join(work, file), 'utf8')) as { entities: { id: string }[] }).entities.map((e) => e.id);
    const out = await dossier('export', '--investigation', seed.investigationId, '--format', 'json', '--out', 'fp-out.json');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 marked false positive left out; --include-false-positives keeps them');
    expect(ids('fp-out.json')).not.toContain(reddit);
    const kept = await dossier('--json', 'export', '--investigation', seed.investigationId, '--format', 'json', '--out', 'fp-in.json', '--include-false-positives');
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ falsePositivesLeftOut: 0 });
    expect(ids('fp-in.json')).toContain(reddit);
    // The earlier test imported entities into the same investigation: compare the two exports, not the seed.
    expect(ids('fp-in.json')).toHaveLength(ids('fp-out.json').length + 1);
  }, 180_000);
});
