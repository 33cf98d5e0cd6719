import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { startSiteFixture, type SiteFixture } from '../../core/testing/fixtures/site-fixture.ts';
import { fixtureManifest } from '../../core/testing/fixtures/sites-manifest.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/dossier', import.meta.url));

let dataDir: string;
let fx: SiteFixture;
let inv: string;

function dossier(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.end(stdin ?? '');
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-tool-');
  fx = await startSiteFixture({ claimed: ['alice'] });
  inv = JSON.parse((await dossier(['--json', 'investigation', 'create', 'cli tools'])).stdout).id;
});
afterAll(async () => {
  await fx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dossier tool / site / credential', { timeout: 120_000 }, () => {
  it('imports a manifest and runs username.sites with --json, printing the run with its entities and evidence', async () => {
    const file = join(dataDir, 'fixture-sites.json');
    writeFileSync(file, JSON.stringify(fixtureManifest(fx.url)));
    const imp = await dossier(['--json', 'site', 'import', file, '--format', 'dossier']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ format: 'dossier', imported: 14, unsupported: [] });

    const r = await dossier(['--json', 'tool', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'alice', '--param', 'sites=FxStatus,FxRedirect,FxWaf']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run).toMatchObject({ tool: 'username.sites', status: 'succeeded', input: { type: 'username', value: 'alice' }, entityCount: 2 });
    expect(run.output.sites.map((s: { site: string; status: string }) => `${s.site}=${s.status}`)).toEqual(['FxStatus=claimed', 'FxRedirect=claimed', 'FxWaf=waf']);
    const acct = run.entities.find((e: { properties: { site: string } }) => e.properties.site === 'FxStatus');
    expect(acct.evidence.sha256).toBe(createHash('sha256').update(fx.served.get('/status/alice')!).digest('hex'));
    expect(acct.sourceRunId).toBe(run.id);

    const human = await dossier(['tool', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'nobody', '--param', 'sites=FxStatus']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('claimed on 0 of 1 site (available 1)');
    const entities = JSON.parse((await dossier(['--json', 'entity', 'list', '--investigation', inv, '--type', 'account'])).stdout);
    expect(entities.total).toBe(2);
  });

  it('exits 2 on bad usage or input and 1 when the run fails; a transient failure says so', async () => {
    const bad = await dossier(['tool', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'has space']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a username');
    expect((await dossier(['tool', 'run', '--investigation', inv, '--tool', 'nope', '--input', 'x'])).code).toBe(2);
    expect((await dossier(['tool', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'x', '--param', 'oops'])).code).toBe(2);
    expect((await dossier(['site', 'import', join(dataDir, 'missing.json')])).code).toBe(2);
    const failed = await dossier(['--json', 'tool', 'run', '--investigation', inv, '--tool', 'username.sites', '--input', 'alice', '--param', 'sites=FxRateLimit']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', errorKind: 'transient' });
  });

  it('stores a credential from stdin, lists names only, deletes it', async () => {
    const secret = 'cli-secret-' + Date.now();
    const set = await dossier(['credential', 'set', 'shodan', '--description', 'Shodan key'], secret + '\n');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(secret);
    const list = await dossier(['--json', 'credential', 'list']);
    expect(JSON.parse(list.stdout).map((c: { name: string }) => c.name)).toEqual(['shodan']);
    expect(list.stdout).not.toContain(secret);
    expect((await dossier(['credential', 'set', 'empty'], '')).code).toBe(2);
    expect((await dossier(['credential', 'delete', 'shodan'])).code).toBe(0);
    expect((await dossier(['credential', 'delete', 'shodan'])).code).toBe(2);
  });

  it('runs an offline tool and a user-defined command from the CLI, inferring the input type', async () => {
    const phone = await dossier(['--json', 'tool', 'run', '--investigation', inv, '--tool', 'phone.parse', '--input', '+44 20 7946 0018']);
    expect(phone.code, phone.stderr).toBe(0);
    expect(JSON.parse(phone.stdout).output).toMatchObject({ e164: '+442079460018', country: 'GB' });
    const cli = fileURLToPath(new URL('../../core/testing/fixtures/fake-osint-cli.mjs', import.meta.url));
    const cmd = await dossier([
      '--json', 'tool', 'run', '--investigation', inv, '--tool', 'command', '--type', 'username', '--input', 'carol',
      '--param', `command=${cli}`, '--param', 'args=lines {input}', '--param', 'parser=lines',
      '--param', 'regex=^\\[\\+\\] (?<site>[^:]+): (?<url>\\S+)$',
      '--param', 'mappings=[{"type":"account","from":"url","label":"site","link":"has_account"}]',
    ]);
    expect(cmd.code, cmd.stderr).toBe(0);
    expect(JSON.parse(cmd.stdout).entities.map((e: { value: string }) => e.value)).toEqual(['https://github.com/carol', 'https://www.reddit.com/user/carol']);
    const badType = await dossier(['tool', 'run', '--investigation', inv, '--tool', 'phone.parse', '--type', 'telephone', '--input', '+1 415 555 2671']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('--type must be one of');
  });

  it('lists tools', async () => {
    const r = await dossier(['--json', 'tool', 'list']);
    expect(JSON.parse(r.stdout).map((t: { name: string }) => t.name)).toEqual([
      'command',
      'dns.resolve',
      'email.inspect',
      'http.api',
      'http.probe',
      'image.exif',
      'phone.parse',
      'rdap.lookup',
      'username.sites',
    ]);
  });
});
