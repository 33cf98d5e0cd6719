import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../core/core.ts';
import { tempDir } from '../core/testing/temp-core.ts';
import { VERSION } from '../core/version.ts';
import type { Investigation } from '../../preload/contract/investigations.ts';
import type { Entity } from '../../preload/contract/entities.ts';
import type { Paged } from '../../preload/contract/common.ts';
import type { SettingEntry } from '../../preload/contract/settings.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/dossier', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let dataDir: string;
beforeEach(() => {
  dataDir = tempDir('dossier-cli-');
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** The real CLI as a subprocess, the way a user or a script runs it. */
function dossier(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--data-dir', dataDir, ...args],
      { cwd: ROOT, env: { ...process.env, DOSSIER_HOME: '', NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function json<T>(...args: string[]): Promise<T> {
  const r = await dossier('--json', ...args);
  expect(r.stderr, `dossier ${args.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const listInvestigations = () => json<Paged<Investigation>>('investigation', 'list');

describe('dossier investigation', { timeout: 60_000 }, () => {
  it('creates with --json and lists what it created', async () => {
    const a = await json<Investigation>('investigation', 'create', 'Phishing kit', '--description', 'seen on a forum', '--tag', 'fraud', '--tag', 'kit');
    expect(a).toMatchObject({ name: 'Phishing kit', description: 'seen on a forum', tags: ['fraud', 'kit'], status: 'active', entityCount: 0 });
    expect(a.id).toMatch(/^inv_/);
    await json<Investigation>('investigation', 'create', 'Sockpuppets');

    const all = await listInvestigations();
    expect(all.total).toBe(2);
    expect(all.items.map((i) => i.name).sort()).toEqual(['Phishing kit', 'Sockpuppets']);
    const found = await json<Paged<Investigation>>('investigation', 'list', '--search', 'forum');
    expect(found.items.map((i) => i.id)).toEqual([a.id]);
    const paged = await json<Paged<Investigation>>('investigation', 'list', '--limit', '1', '--offset', '1');
    expect(paged).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(paged.items).toHaveLength(1);
  });

  it('prints a human table without --json', async () => {
    await json('investigation', 'create', 'Readable');
    const r = await dossier('investigation', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+NAME\s+STATUS/);
    expect(r.stdout).toContain('Readable');
  });
});

describe('dossier entity list', { timeout: 60_000 }, () => {
  it('lists the entities of an investigation, filtered by type', async () => {
    const inv = await json<Investigation>('investigation', 'create', 'With entities');
    // No CLI command adds entities by hand; write them through the core on the same data directory.
    const core = await createCore({ dataDir, mode: 'test' });
    await core.call('entities.add', { investigationId: inv.id, type: 'email', value: ' Alice@Example.COM ' });
    await core.call('entities.add', { investigationId: inv.id, type: 'domain', value: 'example.com' });
    await core.close();

    const all = await json<Paged<Entity>>('entity', 'list', '--investigation', inv.id);
    expect(all.total).toBe(2);
    const emails = await json<Paged<Entity>>('entity', 'list', '--investigation', inv.id, '--type', 'email');
    expect(emails.items.map((e) => e.normalized)).toEqual(['alice@example.com']);

    const badType = await dossier('--json', 'entity', 'list', '--investigation', inv.id, '--type', 'planet');
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--type must be one of/);
    const missing = await dossier('--json', 'entity', 'list', '--investigation', 'inv_nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not_found/);
  });
});

describe('dossier config', { timeout: 60_000 }, () => {
  it('gets defaults, sets a valid value and keeps it', async () => {
    const before = await json<SettingEntry>('config', 'get', 'executor.concurrency');
    expect(before).toMatchObject({ key: 'executor.concurrency', value: 64, default: 64 });
    const set = await json<SettingEntry>('config', 'set', 'executor.concurrency', '12');
    expect(set.value).toBe(12);
    expect((await json<SettingEntry>('config', 'get', 'executor.concurrency')).value).toBe(12);
    const all = await json<SettingEntry[]>('config', 'get');
    expect(all.find((s) => s.key === 'executor.concurrency')?.value).toBe(12);
    expect(all.map((s) => s.key)).toContain('ui.theme');
  });

  it('refuses an invalid value with exit 2 and keeps the old one', async () => {
    await json('config', 'set', 'ui.theme', 'dark');
    const bad = await dossier('--json', 'config', 'set', 'ui.theme', 'purple');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid value for ui\.theme/);
    expect(bad.stdout).toBe('');
    const range = await dossier('config', 'set', 'executor.concurrency', '0');
    expect(range.code).toBe(2);
    const unknown = await dossier('config', 'set', 'no.such.key', '1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown setting "no\.such\.key"/);
    expect((await json<SettingEntry>('config', 'get', 'ui.theme')).value).toBe('dark');
    expect((await json<SettingEntry>('config', 'get', 'executor.concurrency')).value).toBe(64);
  });
});

describe('bad usage', { timeout: 60_000 }, () => {
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['investigation', 'create'], message: /missing required argument 'name'/ },
    { args: ['investigation', 'create', '   '], message: /name is required/ },
    { args: ['investigation', 'destroy', 'x'], message: /unknown command 'destroy'/ },
    { args: ['frobnicate'], message: /unknown command 'frobnicate'/ },
    { args: ['investigation', 'create', 'New', '--colour', 'red'], message: /unknown option '--colour'/ },
    { args: ['investigation', 'list', '--limit', 'lots'], message: /--limit must be an integer from 1 to 1000/ },
    { args: ['investigation', 'list', '--limit', '0'], message: /--limit must be an integer/ },
    { args: ['investigation', 'list', '--status', 'deleted'], message: /--status must be one of/ },
    { args: ['entity', 'list'], message: /required option '--investigation <id>' not specified/ },
  ];

  it.each(cases)('dossier $args exits 2 with a message on stderr and changes nothing', async ({ args, message }) => {
    const existing = await json<Investigation>('investigation', 'create', 'Existing');
    const r = await dossier('--json', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    const after = await listInvestigations();
    expect(after.items).toEqual([existing]);
  });

  it('--version prints the version and exits 0', async () => {
    const r = await dossier('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });
});
