import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../core/testing/temp-core.ts';
import { seedInvestigation } from '../core/testing/report-fixture.ts';
import { startServer, type RunningServer } from './server.ts';
import { mountExportDownloads } from './export-download.ts';
import type { ExportResult } from '../../preload/contract/reports.ts';

let core: Awaited<ReturnType<typeof tempCore>>;
let server: RunningServer;
let inv: string;

beforeAll(async () => {
  core = await tempCore({ mode: 'browser' });
  inv = (await seedInvestigation(core)).investigationId;
  server = await startServer({ core, port: 0, token: 't0k3n-for-tests-only-000000', extend: (api) => mountExportDownloads(api, core) });
});
afterAll(async () => {
  await server.close();
  await core.dispose();
});

const auth = { authorization: 'Bearer t0k3n-for-tests-only-000000' };

describe('browser-mode export download', () => {
  it('exports through /api/call and downloads the file with the token only', async () => {
    const res = await fetch(`${server.url}/api/call/reports.export`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ investigationId: inv, format: 'graphml' }) });
    const { result } = (await res.json()) as { result: ExportResult };
    const url = `${server.url}/api/exports/${result.id}/${result.files[0]!.name}`;
    const dl = await fetch(url, { headers: auth });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/graphml+xml');
    expect(dl.headers.get('content-disposition')).toBe('attachment; filename="investigation.graphml"');
    expect(await dl.text()).toContain('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">');
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${server.url}/api/exports/${result.id}/..%2F..%2Fdossier.db`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/api/exports/exp_0/investigation.graphml`, { headers: auth })).status).toBe(404);
  });
});
