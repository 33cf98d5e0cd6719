import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCore, tempDir } from '../testing/temp-core.ts';
import { seedInvestigation, type SeededInvestigation } from '../testing/report-fixture.ts';
import { exportFile } from './export.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let a: Core;
let b: Core;
let seed: SeededInvestigation;
const dir = tempDir('dossier-import-');

beforeAll(async () => {
  a = await tempCore();
  b = await tempCore();
  seed = await seedInvestigation(a);
});
afterAll(async () => {
  await a.dispose();
  await b.dispose();
});

async function exportJson(core: Core, investigationId: string): Promise<{ path: string; doc: Record<string, unknown> }> {
  const r = await core.call('reports.export', { investigationId, format: 'json' });
  const path = exportFile(core.dataDir, r.id, 'investigation.json');
  return { path, doc: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
}

/** The document with every id replaced by its order of first appearance, and the export time dropped. */
function canonical(doc: Record<string, unknown>): unknown {
  const ids = new Map<string, string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && /^(inv|ent|lnk|run)_[\w]+$/.test(v)) {
      if (!ids.has(v)) ids.set(v, `#${ids.size}`);
      return ids.get(v);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const { exportedAt: _t, ...rest } = doc;
  return walk(rest);
}

async function counts(core: Core) {
  const n = async (t: 'investigations' | 'entities' | 'links' | 'tool_runs' | 'outbox') => Number((await core.ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { inv: await n('investigations'), entities: await n('entities'), links: await n('links'), runs: await n('tool_runs'), outbox: await n('outbox') };
}

describe('investigation import', () => {
  it('export → import into a fresh data directory → export gives the same document apart from ids and export time', async () => {
    const first = await exportJson(a, seed.investigationId);
    const imported = await b.call('reports.importInvestigation', { source: { path: first.path } });
    expect(imported).toMatchObject({ name: seed.name, entities: seed.entities, links: seed.links, runs: seed.runs });
    expect(imported.investigationId).not.toBe(seed.investigationId);
    const second = await exportJson(b, imported.investigationId);
    expect(canonical(second.doc)).toEqual(canonical(first.doc));
    // And the ids really are new.
    const ents = (second.doc.entities as { id: string }[]).map((e) => e.id);
    expect(ents.some((id) => seed.entityIds.includes(id))).toBe(false);
    const inv = await b.call('investigations.get', { id: imported.investigationId });
    expect(inv.entityCount).toBe(seed.entities);
  });

  it('imports the same file twice as two investigations (ids are always new)', async () => {
    const { path } = await exportJson(a, seed.investigationId);
    const x = await a.call('reports.importInvestigation', { source: { path } });
    const y = await a.call('reports.importInvestigation', { source: { path } });
    expect(x.investigationId).not.toBe(y.investigationId);
    expect(x.investigationId).not.toBe(seed.investigationId);
  });

  const broken: [string, (d: Record<string, unknown>) => unknown, RegExp][] = [
    ['a wrong entity type', (d) => ((d.entities as Record<string, unknown>[])[3]!.type = 'spaceship'), /^\$\.entities\[3\]\.type: /],
    ['a link to an entity that is not there', (d) => ((d.links as Record<string, unknown>[])[5]!.targetId = 'ent_missing'), /^\$\.links\[5\]\.targetId: no entity ent_missing/],
    ['a wrong format name', (d) => (d.format = 'maltego'), /^\$\.format: /],
    ['a newer version', (d) => (d.version = 2), /^\$\.version: /],
    ['a duplicate entity', (d) => (d.entities as unknown[]).push({ ...(d.entities as Record<string, unknown>[])[0]!, id: 'ent_dup' }), /^\$\.entities\[15\]\.value: the same username as \$\.entities\[0\]/],
    ['a bad time', (d) => ((d.toolRuns as Record<string, unknown>[])[1]!.startedAt = 'yesterday'), /^\$\.toolRuns\[1\]\.startedAt: /],
    ['a missing list', (d) => delete d.links, /^\$\.links: /],
  ];
  for (const [what, spoil, message] of broken) {
    it(`refuses a document with ${what}, naming its JSON path, and writes nothing`, async () => {
      const { doc } = await exportJson(a, seed.investigationId);
      spoil(doc);
      const path = join(dir, 'bad.json');
      writeFileSync(path, JSON.stringify(doc));
      const before = await counts(b);
      const err = await b.call('reports.importInvestigation', { source: { path } }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
      expect(await counts(b)).toEqual(before);
    });
  }

  it('refuses a file that is not JSON at $', async () => {
    const path = join(dir, 'not.json');
    writeFileSync(path, '{"format": "dossier-investigation", ');
    await expect(b.call('reports.importInvestigation', { source: { path } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('$: not a JSON document') });
    await expect(b.call('reports.importInvestigation', { source: { path: join(dir, 'missing.json') } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('file not found') });
  });

  it('streams any layout: pretty-printed, lists in another order (links before their entities), head last', async () => {
    const first = await exportJson(a, seed.investigationId);
    const { entities, links, toolRuns, ...head } = first.doc;
    const path = join(dir, 'reordered.json');
    writeFileSync(path, JSON.stringify({ links, toolRuns, entities, ...head }, null, 2));
    const imported = await b.call('reports.importInvestigation', { source: { path } });
    expect(imported).toMatchObject({ entities: seed.entities, links: seed.links, runs: seed.runs });
    expect(canonical((await exportJson(b, imported.investigationId)).doc)).toEqual(canonical(first.doc));
  });

  it('refuses a syntax error deep in the file with the path of its element, after reading it in pieces, and writes nothing', async () => {
    const { path: good } = await exportJson(a, seed.investigationId);
    // One element per line: break the eleventh entity (a quote removed) and leave the rest as it is.
    const lines = readFileSync(good, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('"entities":[')) + 11;
    lines[at] = lines[at]!.replace('"type":', 'type":');
    const path = join(dir, 'syntax.json');
    writeFileSync(path, lines.join('\n'));
    const before = await counts(b);
    const err = await b.call('reports.importInvestigation', { source: { path } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('syntax.json: $.entities[10]: not a JSON document') });
    writeFileSync(path, readFileSync(good, 'utf8') + '{}');
    await expect(b.call('reports.importInvestigation', { source: { path } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('$: not a JSON document (there is more after the end') });
    writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(good, 'utf8')) as object), links: { x: [] } }));
    await expect(b.call('reports.importInvestigation', { source: { path } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^\$\.links: .*expected array/) });
    expect(await counts(b)).toEqual(before);
  });
});
