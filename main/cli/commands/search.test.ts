import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { runDossier, type CliResult } from '../../core/testing/cli.ts';
import { createCore } from '../../core/core.ts';

let dataDir: string;
let inv: string;

function dossier(args: string[]): Promise<CliResult> {
  return runDossier(dataDir, args);
}

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-search-');
  const core = await createCore({ dataDir, mode: 'cli' });
  inv = (await core.call('investigations.create', { name: 'cli search' })).id;
  for (const [type, value] of [['email', 'ivan@mail.ru'], ['email', 'bob@example.com'], ['domain', 'mail.ru'], ['organization', 'T-Mobile']] as const) {
    await core.call('entities.add', { investigationId: inv, type, value, label: value === 'bob@example.com' ? 'joined 2019' : undefined });
  }
  await core.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ruOrJoined = JSON.stringify({ or: [{ field: 'value', op: 'ends_with', value: '.ru' }, { field: 'label', op: 'contains', value: 'joined' }] });
const values = (out: string) => (JSON.parse(out) as { items: { value: string }[] }).items.map((e) => e.value).sort();

describe('dossier search / filter / --filter', { timeout: 400_000 }, () => {
  it('entity list --filter, --filter-file and --saved; filter save|list|delete', async () => {
    const r = await dossier(['--json', 'entity', 'list', '--investigation', inv, '--filter', ruOrJoined]);
    expect(r.code, r.stderr).toBe(0);
    expect(values(r.stdout)).toEqual(['bob@example.com', 'ivan@mail.ru', 'mail.ru']);

    const file = join(dataDir, 'f.json');
    writeFileSync(file, JSON.stringify({ and: [{ field: 'type', op: 'is', value: 'domain' }] }));
    expect(values((await dossier(['--json', 'entity', 'list', '--investigation', inv, '--filter-file', file])).stdout)).toEqual(['mail.ru']);

    const saved = await dossier(['filter', 'save', 'ru or joined', '--list', 'entities', '--filter', ruOrJoined]);
    expect(saved.code, saved.stderr).toBe(0);
    expect((await dossier(['filter', 'save', 'ru or joined', '--list', 'entities', '--filter', ruOrJoined])).code).toBe(2);
    const listed = JSON.parse((await dossier(['--json', 'filter', 'list'])).stdout);
    expect(listed).toMatchObject([{ list: 'entities', name: 'ru or joined', version: 1 }]);

    // --saved ANDed with --filter-file: only the domain among the saved filter's rows.
    expect(values((await dossier(['--json', 'entity', 'list', '--investigation', inv, '--saved', 'ru or joined'])).stdout)).toEqual(['bob@example.com', 'ivan@mail.ru', 'mail.ru']);
    expect(values((await dossier(['--json', 'entity', 'list', '--investigation', inv, '--saved', 'ru or joined', '--filter-file', file])).stdout)).toEqual(['mail.ru']);

    expect((await dossier(['filter', 'delete', 'ru or joined'])).code).toBe(0);
    expect(JSON.parse((await dossier(['--json', 'filter', 'list'])).stdout)).toEqual([]);
    const gone = await dossier(['entity', 'list', '--investigation', inv, '--saved', 'ru or joined']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/no saved filter "ru or joined" for entities/);
  });

  it('bad filters exit 2 naming the problem and change nothing', async () => {
    const bad = await dossier(['entity', 'list', '--investigation', inv, '--filter', '{"and":[{"field":"secret","op":"equals","value":"x"}]}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown field "secret"/);
    const json = await dossier(['entity', 'list', '--investigation', inv, '--filter', '{"and":[']);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/--filter is not valid JSON/);
    const op = await dossier(['filter', 'save', 'x', '--list', 'relay_requests', '--filter', '{"and":[{"field":"status","op":"contains","value":"5"}]}']);
    expect(op.code).toBe(2);
    expect(op.stderr).toMatch(/operator "contains" does not fit number field "status"/);
    expect((await dossier(['filter', 'save', 'x', '--list', 'nope', '--filter', '{"and":[]}'])).code).toBe(2);
    expect(JSON.parse((await dossier(['--json', 'filter', 'list'])).stdout)).toEqual([]);
  });

  it('dossier search prints ranked hits with the match marked', async () => {
    const r = await dossier(['--json', 'search', 'T-Mobile', '--investigation', inv]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.hits.map((h: { entity: { value: string } }) => h.entity.value)).toEqual(['T-Mobile']);
    const human = await dossier(['search', 'mail']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/\[mail\]/);
    expect(human.stdout).toContain('cli search');
  });
});
