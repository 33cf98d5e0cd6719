import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tempCore } from '../testing/temp-core.ts';
import { seedInvestigation, type SeededInvestigation } from '../testing/report-fixture.ts';
import { upsertEntity, upsertLink } from '../entities/store.ts';
import type { ExportFormat, ExportResult } from '../../../preload/contract/reports.ts';
import type { InvestigationDocument } from './document.ts';
import { exportFile } from './export.ts';
import { networkx, xmllint } from './consumers.test-support.ts';

/**
 * Entities a user marked false positive are left out of every format by
 * default, with their links; `includeFalsePositives` puts them back. The
 * verdicts are set through the verdicts service, one of them in another
 * investigation (a site and username verdict is remembered everywhere).
 */
type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let seed: SeededInvestigation;
/** Ids and values of the three entities marked false positive. */
let fp: { id: string; value: string }[];
let fpLinks: number;
let confirmed: string;

const REDDIT = 2;
const FORMULA = 12;

beforeAll(async () => {
  core = await tempCore();
  seed = await seedInvestigation(core);
  const inv = seed.investigationId;
  // An account the username.sites way (site + username): a verdict on it in another investigation applies here too.
  const mastodon = {
    type: 'account' as const,
    value: 'https://mastodon.example/@nj42',
    label: 'Mastodon: nj42',
    properties: { site: 'Mastodon', username: 'nj42' },
  };
  const { entity: here } = await upsertEntity(core.ctx.db, inv, mastodon);
  await upsertLink(core.ctx.db, inv, { sourceId: seed.entityIds[0]!, targetId: here.id, type: 'has_account' });
  const other = await core.call('investigations.create', { name: 'Elsewhere' });
  const { entity: there } = await upsertEntity(core.ctx.db, other.id, mastodon);
  await core.call('verdicts.set', { entityId: there.id, verdict: 'false_positive', note: 'another nj42' });
  await core.call('verdicts.set', { entityId: seed.entityIds[REDDIT]!, verdict: 'false_positive' });
  await core.call('verdicts.set', { entityId: seed.entityIds[FORMULA]!, verdict: 'false_positive' });
  // A confirmed find stays in.
  confirmed = seed.entityIds[1]!;
  await core.call('verdicts.set', { entityId: confirmed, verdict: 'confirmed' });
  const applied = await core.call('verdicts.forInvestigation', { investigationId: inv });
  expect(applied.find((v) => v.appliesTo === here.id)).toMatchObject({ verdict: 'false_positive', inherited: true });
  fp = [
    { id: seed.entityIds[REDDIT]!, value: seed.values[REDDIT]! },
    { id: seed.entityIds[FORMULA]!, value: seed.values[FORMULA]! },
    { id: here.id, value: mastodon.value },
  ];
  // Reddit has one link (from the username); the formula none; Mastodon the one above.
  fpLinks = 2;
});
afterAll(() => core.dispose());

const all = () => ({ entities: seed.entities + 1, links: seed.links + 1 });
const exp = (format: ExportFormat, includeFalsePositives?: boolean) =>
  core.call('reports.export', { investigationId: seed.investigationId, format, options: includeFalsePositives === undefined ? {} : { includeFalsePositives } });
const file = (r: ExportResult, i = 0) => exportFile(core.dataDir, r.id, r.files[i]!.name);

describe('false positives in exports', () => {
  it('counts: left out by default, back with includeFalsePositives', async () => {
    const r = await exp('json');
    expect(r).toMatchObject({ entities: all().entities - 3, links: all().links - fpLinks, falsePositivesLeftOut: 3 });
    const back = await exp('json', true);
    expect(back).toMatchObject({ entities: all().entities, links: all().links, falsePositivesLeftOut: 0 });
  });

  it('JSON: the entities, their links and the run references to them are gone; included, they are there', async () => {
    const doc = JSON.parse(readFileSync(file(await exp('json')), 'utf8')) as InvestigationDocument;
    const ids = new Set(doc.entities.map((e) => e.id));
    for (const f of fp) expect(ids.has(f.id)).toBe(false);
    expect(ids.has(confirmed)).toBe(true);
    expect(doc.links.every((l) => ids.has(l.sourceId) && ids.has(l.targetId))).toBe(true);
    expect(doc.links).toHaveLength(all().links - fpLinks);
    for (const run of doc.toolRuns) for (const id of run.entityIds) expect(ids.has(id)).toBe(true);
    const full = JSON.parse(readFileSync(file(await exp('json', true)), 'utf8')) as InvestigationDocument;
    expect(full.entities.map((e) => e.id)).toEqual(expect.arrayContaining(fp.map((f) => f.id)));
    expect(full.toolRuns.flatMap((r) => r.entityIds)).toContain(fp[0]!.id);
  });

  it('CSV: no row of theirs in entities.csv or links.csv', async () => {
    const { parse } = await import('csv-parse/sync');
    const rows = async (include?: boolean) => {
      const r = await exp('csv', include);
      return {
        e: parse(readFileSync(file(r, 0), 'utf8'), { bom: true }) as string[][],
        l: parse(readFileSync(file(r, 1), 'utf8'), { bom: true }) as string[][],
      };
    };
    const out = await rows();
    expect(out.e).toHaveLength(all().entities - 3 + 1);
    expect(out.l).toHaveLength(all().links - fpLinks + 1);
    for (const f of fp) {
      expect(out.e.some((row) => row[0] === f.id)).toBe(false);
      expect(out.l.some((row) => row[0] === f.id || row[1] === f.id)).toBe(false);
    }
    const back = await rows(true);
    expect(back.e).toHaveLength(all().entities + 1);
    expect(back.l).toHaveLength(all().links + 1);
  });

  it.each(['graphml', 'gexf'] as const)('%s: networkx sees neither the nodes nor their edges', async (format) => {
    const r = await exp(format);
    expect(xmllint(file(r)).ok).toBe(true);
    const g = networkx(format, file(r));
    expect(Object.keys(g.nodes)).toHaveLength(all().entities - 3);
    expect(g.edges).toHaveLength(all().links - fpLinks);
    for (const f of fp) expect(g.nodes[f.id]).toBeUndefined();
    expect(g.nodes[confirmed]).toBeDefined();
    const back = networkx(format, file(await exp(format, true)));
    expect(Object.keys(back.nodes)).toHaveLength(all().entities);
    expect(back.edges).toHaveLength(all().links);
    for (const f of fp) expect(back.nodes[f.id]).toBeDefined();
  });

  it('HTML: their values are not in the report, which says how many were left out', async () => {
    const html = readFileSync(file(await exp('html')), 'utf8');
    expect(html).not.toContain('reddit/u/nightjar_42');
    expect(html).not.toContain('mastodon.example/@nj42');
    expect(html).not.toContain('HYPERLINK');
    expect(html).toContain('3 entities marked false positive left out, with their links.');
    expect(html).toContain('github/nightjar_42');
    const back = readFileSync(file(await exp('html', true)), 'utf8');
    expect(back).toContain('reddit/u/nightjar_42');
    expect(back).toContain('mastodon.example/@nj42');
    expect(back).not.toContain('marked false positive left out');
  });

  it('PDF: pdftotext finds the report but not the false positives', async () => {
    const r = await exp('pdf');
    const text = spawnSync('pdftotext', [file(r), '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(seed.name);
    expect(text.stdout).toContain('GitHub: nightjar_42');
    expect(text.stdout).not.toContain('Reddit: nightjar_42');
    expect(text.stdout).not.toContain('Mastodon: nj42');
    expect(r.falsePositivesLeftOut).toBe(3);
  }, 120_000);
});
