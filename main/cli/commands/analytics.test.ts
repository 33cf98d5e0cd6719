import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../core/core.ts';
import { tempDir } from '../../core/testing/temp-core.ts';
import { runDossier, type CliResult } from '../../core/testing/cli.ts';
import { seedRuns } from '../../core/analytics/test-support.ts';

let dataDir: string;
let inv: string;

function dossier(args: string[]): Promise<CliResult> {
  return runDossier(dataDir, args);
}

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-analytics-');
  const core = await createCore({ dataDir, mode: 'cli' });
  inv = (await core.call('investigations.create', { name: 'cli analytics' })).id;
  const now = Date.now();
  // 90 fast and 10 slow runs a few minutes ago, two of them failed with typed codes.
  seedRuns(core, [
    ...Array.from({ length: 90 }, (_, i) => ({ at: now - 60_000 - i, ms: 10, inv })),
    ...Array.from({ length: 10 }, (_, i) => ({ at: now - 60_000 - i, ms: 1000, inv })),
    { at: now - 60_000, ms: 10, inv, outcome: 'failed' as const, code: 'timeout' },
    { at: now - 60_000, ms: 10, inv, outcome: 'failed' as const, code: 'dns' },
  ]);
  // One false positive on an account find (counted in entities.verdicts).
  const acct = await core.call('entities.add', { investigationId: inv, type: 'account', value: 'GitHub:alice', properties: { site: 'GitHub', username: 'alice' } });
  await core.call('verdicts.set', { entityId: acct.entity.id, verdict: 'false_positive' });
  await core.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('dossier analytics', { timeout: 120_000 }, () => {
  it('--json prints one document with the fixed keys and a row per tool', async () => {
    const r = await dossier(['--json', 'analytics', '--window', '24h', '--investigation', inv]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['window', 'batches', 'tools', 'errors', 'webhooks', 'relay', 'entities']);
    expect(doc.window).toBe('24h');
    expect(doc.tools).toEqual([{ tool: 'test.latency', runs: 102, failed: 2, p50_ms: 10, p95_ms: 1000, p99_ms: 1000 }]);
    expect(doc.errors).toEqual([
      { code: 'dns', count: 1 },
      { code: 'timeout', count: 1 },
    ]);
    expect(doc.batches).toMatchObject({ completed: 100, failed: 2 });
    expect(doc.entities).toEqual({ total: 1, by_type: { account: 1 }, verdicts: { confirmed: 0, false_positive: 1 } });
  });

  it('prints a human table by default', async () => {
    const r = await dossier(['analytics']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/TOOL\s+RUNS\s+FAILED\s+P50_MS\s+P95_MS\s+P99_MS/);
    expect(r.stdout).toMatch(/test\.latency\s+102\s+2\s+10 ms\s+1000 ms\s+1000 ms/);
  });

  it('exits 2 with a clear message on an invalid window or an unknown investigation', async () => {
    const bad = await dossier(['analytics', '--window', '2h']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--window must be one of 1h, 24h, 7d, 30d/);
    const missing = await dossier(['analytics', '--investigation', 'inv_nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not_found/);
  });
});
