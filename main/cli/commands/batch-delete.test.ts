import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp-core.ts';
import { runDossier, type CliResult } from '../../core/testing/cli.ts';
import { expandTool } from '../../core/testing/batch-tools.ts';
import { createCore, type DossierCore } from '../../core/core.ts';

/** `dossier batch delete` (issue #18 item 2): the finds made beforehand in-process by test.expand (n → n+1, n+2). */
let dataDir: string;
let inv: string;
let first: string;
let second: string;
const dossier = (args: string[]): Promise<CliResult> => runDossier(dataDir, args);

async function runBatch(core: DossierCore, values: string[]): Promise<string> {
  const done = new Promise<string>((resolve) => {
    const off = core.bus.on('batches.changed', (p) => {
      if (p.kind === 'updated' && p.status === 'completed') {
        off();
        resolve(p.batchId);
      }
    });
  });
  await core.call('batches.create', { investigationId: inv, tool: 'test.expand', source: { kind: 'list', values }, inputType: 'username' });
  return done;
}

beforeAll(async () => {
  dataDir = tempDir('dossier-cli-batch-delete-');
  const core = await createCore({ dataDir, mode: 'cli' });
  core.ctx.tools.register(expandTool);
  inv = (await core.call('investigations.create', { name: 'cli batch delete' })).id;
  await core.startWorkers(['executor']);
  first = await runBatch(core, ['10']); // 10, 11, 12
  second = await runBatch(core, ['11']); // 11, 12, 13
  await core.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function values(): Promise<string[]> {
  const page = JSON.parse((await dossier(['--json', 'entity', 'list', '--investigation', inv])).stdout) as { items: { value: string }[] };
  return page.items.map((e) => e.value).sort();
}

describe('dossier batch delete', { timeout: 240_000 }, () => {
  it('--with-finds without --yes prints the count, exits 2 and deletes nothing; with --yes deletes what only that batch found', async () => {
    const dry = await dossier(['batch', 'delete', first, '--with-finds']);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/only finder of 1 entity and 2 links; nothing was deleted/);
    expect(dry.stderr).toMatch(/--yes/);
    expect(await values()).toEqual(['10', '11', '12', '13']);

    const del = await dossier(['--json', 'batch', 'delete', first, '--with-finds', '--yes']);
    expect(del.code, del.stderr).toBe(0);
    expect(JSON.parse(del.stdout)).toEqual({ id: first, deleted: true, entities: 1, links: 2 });
    expect(await values()).toEqual(['11', '12', '13']);
    expect((await dossier(['batch', 'show', first])).code).toBe(2); // gone
  });

  it('without --with-finds deletes the batch and says its finds stay', async () => {
    const del = await dossier(['batch', 'delete', second]);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toMatch(/deleted batch .* the entities it found stay/);
    expect(await values()).toEqual(['11', '12', '13']);
    expect((await dossier(['batch', 'delete', second, '--with-finds'])).code).toBe(2); // not_found
  });
});
