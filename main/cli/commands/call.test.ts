import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { unknownMethodError } from '../../../preload/contract/index.ts';
import { runDossier } from '../../core/testing/cli.ts';
import { tempDir } from '../../core/testing/temp-core.ts';

const dataDir = tempDir('dossier-cli-call-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('dossier call (any method, through the same checks as the other faces)', () => {
  it('calls a method with a JSON input and prints its JSON answer', async () => {
    const made = await runDossier(dataDir, ['call', 'investigations.create', '{"name":"Scripted"}']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ name: 'Scripted', status: 'active' });
  });

  it('answers an unknown method with the typed not_found every face gives (exit 2)', async () => {
    const r = await runDossier(dataDir, ['call', 'fs.readFile', '{}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error (not_found): ${unknownMethodError('fs.readFile').message}\n`);
  });

  it('refuses input that is not JSON (exit 2) and a local method (forbidden, exit 1)', async () => {
    const bad = await runDossier(dataDir, ['call', 'investigations.create', '{name:']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('<input> must be JSON');
    const local = await runDossier(dataDir, ['call', 'batches.runHere', '{"id":"bat_x"}']);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain('error (forbidden)');
  });
});
