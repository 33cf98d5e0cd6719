import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tempCore } from '../testing/temp-core.ts';
import { seedInvestigation } from '../testing/report-fixture.ts';
import { upsertEntity } from '../entities/store.ts';
import { exportFile } from './export.ts';

let core: Awaited<ReturnType<typeof tempCore>>;
let server: Server;
let hits: string[] = [];
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('<html><img src="/again"></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  core = await tempCore();
});
afterAll(async () => {
  await core.dispose();
  await new Promise((r) => server.close(r));
});

describe('PDF export (headless Chromium, offline)', () => {
  it('prints the report without a single request to the evidence URLs, and the text is there', async () => {
    const seed = await seedInvestigation(core, { evidenceBase: base, name: 'Operation Nightjar PDF' });
    // Markup in a value that would fetch if it were ever parsed as HTML.
    await upsertEntity(core.ctx.db, seed.investigationId, { type: 'other', value: `<img src="${base}/pixel.gif"><link rel="stylesheet" href="${base}/x.css">` });
    hits = [];
    const r = await core.call('reports.export', { investigationId: seed.investigationId, format: 'pdf' });
    expect(r.files).toEqual([{ name: 'report.pdf', bytes: expect.any(Number), contentType: 'application/pdf' }]);
    const path = exportFile(core.dataDir, r.id, 'report.pdf');
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(hits).toEqual([]);
    const text = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Operation Nightjar PDF');
    expect(text.stdout).toContain('nightjar_42');
    // Long hashes wrap inside their table cell.
    expect(text.stdout.replace(/\s+/g, '')).toContain(seed.hashes[0]);
    // Only the PDF is left in the export folder (the intermediate HTML is removed).
    expect(exportFile.bind(null, core.dataDir, r.id, 'report.html')).toThrow(/no file/);
  }, 120_000);
});
