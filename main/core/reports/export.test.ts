import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempCore } from '../testing/temp-core.ts';
import { HOSTILE_VALUES, seedInvestigation, type SeededInvestigation } from '../testing/report-fixture.ts';
import { ENTITY_COLORS } from '../../../preload/contract/entity-colors.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import type { ExportResult } from '../../../preload/contract/reports.ts';
import { exportFile } from './export.ts';
import { networkx, xmllint } from './consumers.test-support.ts';
import { rgb } from './xml.ts';
import { NODE_ATTRIBUTES } from './graphml.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let seed: SeededInvestigation;

beforeAll(async () => {
  core = await tempCore();
  seed = await seedInvestigation(core);
});
afterAll(() => core.dispose());

const file = (r: ExportResult, i = 0) => exportFile(core.dataDir, r.id, r.files[i]!.name);
const exp = (format: 'json' | 'csv' | 'graphml' | 'gexf' | 'html') => core.call('reports.export', { investigationId: seed.investigationId, format });

async function storeEntities() {
  return core.ctx.db.selectFrom('entities').selectAll().where('investigation_id', '=', seed.investigationId).execute();
}

describe('graph exports read by real consumers', () => {
  it('GraphML: well-formed, and networkx sees every node, edge and attribute with labels and colours', async () => {
    const r = await exp('graphml');
    expect(xmllint(file(r))).toEqual({ ok: true, stderr: '' });
    const g = networkx('graphml', file(r));
    const rows = await storeEntities();
    expect(Object.keys(g.nodes)).toHaveLength(rows.length);
    expect(g.edges).toHaveLength(seed.links);
    for (const e of rows) {
      const n = g.nodes[e.id]!;
      // networkx leaves out empty <data> elements: the keys seen are those the store has a value for.
      const expected = NODE_ATTRIBUTES.filter((a) => !((a === 'source_tool' && !e.source_run_id) || (a === 'evidence_sha256' && !e.evidence)));
      expect(Object.keys(n).sort()).toEqual(['label', ...expected].sort());
      expect(n.label).toBe(e.label ?? e.value.replace('\u0007', '\uFFFD'));
      expect(n.type).toBe(e.type);
      expect(n.color).toBe(ENTITY_COLORS[e.type as EntityType]);
    }
    const edgeTypes = g.edges.map((x) => x.attrs.type).sort();
    const stored = (await core.ctx.db.selectFrom('links').select('type').where('investigation_id', '=', seed.investigationId).execute()).map((l) => l.type).sort();
    expect(edgeTypes).toEqual(stored);
    expect(g.nodes[seed.entityIds[11]!]!.value).toBe(HOSTILE_VALUES.script);
  });

  it('GEXF 1.3: well-formed, no schemaLocation, networkx sees labels, attributes and the SPEC colours as viz:color', async () => {
    const r = await exp('gexf');
    const text = readFileSync(file(r), 'utf8');
    expect(text).toContain('xmlns="http://gexf.net/1.3"');
    expect(text).not.toContain('schemaLocation');
    expect(xmllint(file(r)).ok).toBe(true);
    const g = networkx('gexf', file(r));
    const rows = await storeEntities();
    expect(Object.keys(g.nodes)).toHaveLength(rows.length);
    expect(g.edges).toHaveLength(seed.links);
    for (const e of rows) {
      const n = g.nodes[e.id]! as { label: string; type: string; value: string; viz: { color: { r: number; g: number; b: number } } };
      expect(n.label).toBe(e.label ?? e.value.replace('\u0007', '\uFFFD'));
      expect(n.type).toBe(e.type);
      for (const a of NODE_ATTRIBUTES) expect(n).toHaveProperty(a);
      const c = rgb(ENTITY_COLORS[e.type as EntityType]);
      expect({ r: n.viz.color.r, g: n.viz.color.g, b: n.viz.color.b }).toEqual(c);
    }
    // username is SPEC blue #3b82f6
    expect((g.nodes[seed.entityIds[0]!] as { viz: { color: object } }).viz.color).toMatchObject({ r: 59, g: 130, b: 246 });
    expect(g.edges.every((x) => typeof x.attrs.type === 'string' && x.attrs.label === x.attrs.type)).toBe(true);
  });
});

describe('CSV export', () => {
  it('writes entities.csv and links.csv with BOM, the SPEC headers, every row, and formulas defused', async () => {
    const r = await exp('csv');
    expect(r.files.map((f) => f.name)).toEqual(['entities.csv', 'links.csv']);
    const ents = readFileSync(file(r, 0), 'utf8');
    const links = readFileSync(file(r, 1), 'utf8');
    expect(ents.charCodeAt(0)).toBe(0xfeff);
    expect(links.charCodeAt(0)).toBe(0xfeff);
    const { parse } = await import('csv-parse/sync');
    const er = parse(ents, { bom: true }) as string[][];
    const lr = parse(links, { bom: true }) as string[][];
    expect(er[0]!.slice(0, 8)).toEqual(['id', 'type', 'value', 'label', 'first_seen', 'last_seen', 'source_tool', 'evidence_sha256']);
    expect(lr[0]!.slice(0, 7)).toEqual(['source', 'target', 'type', 'source_type', 'source_value', 'target_type', 'target_value']);
    expect(er).toHaveLength(seed.entities + 1);
    expect(lr).toHaveLength(seed.links + 1);
    const formula = er.find((row) => row[2]!.includes('HYPERLINK'))!;
    expect(formula[2]).toBe(`'${HOSTILE_VALUES.formula}`);
    // A phone number starting with + is a formula to a spreadsheet too.
    expect(er.find((row) => row[1] === 'phone')![2]!.startsWith("'+")).toBe(true);
    expect(er.find((row) => row[2] === HOSTILE_VALUES.quotes || row[12]?.includes('say'))).toBeTruthy();
    const account = er.find((row) => row[3] === 'GitHub: nightjar_42')!;
    expect(account[6]).toBe('username.sites');
    expect(seed.hashes).toContain(account[7]);
    const hasAccount = lr.filter((row) => row[2] === 'has_account');
    expect(hasAccount).toHaveLength(3);
    expect(hasAccount[0]!.slice(3, 5)).toEqual(['username', 'nightjar_42']);
  });
});

describe('HTML export', () => {
  it('is self-contained, contains every value and evidence hash, and escapes markup', async () => {
    const r = await exp('html');
    const html = readFileSync(file(r), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(html).toContain('@media print');
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const v of seed.values) expect(html).toContain(escape(v));
    for (const hash of seed.hashes) expect(html).toContain(hash);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    // Nothing that would fetch: no external src/href other than evidence links, no @import, no url().
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('<svg class="graph"');
    expect(html).toContain('<svg class="timeline"');
    expect(html).toContain(`by Dossier ${core.ctx.version}`);
    expect(html).toContain('email.inspect');
    expect(html).toContain('mail server refused the check');
    expect(html).not.toContain('sk_live_should_not_leak');
  });
});

describe('every export', () => {
  it('writes report.generated in the outbox and reports progress', async () => {
    const progress: number[] = [];
    const off = core.bus.on('report.progress', (p) => progress.push(p.done));
    const r = await exp('json');
    off();
    const ev = await core.ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'report.generated').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const payload = JSON.parse(ev.payload) as { report: ExportResult; investigation: { name: string } };
    expect(payload.report.id).toBe(r.id);
    expect(payload.report.format).toBe('json');
    expect(payload.investigation.name).toBe(seed.name);
    expect(ev.investigation_id).toBe(seed.investigationId);
    expect(progress.at(-1)).toBe(seed.entities + seed.links + seed.runs);
  });

  it('refuses an unknown investigation with not_found and writes nothing', async () => {
    const before = await core.ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(core.call('reports.export', { investigationId: 'inv_nope', format: 'csv' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.invoke('reports.export', { investigationId: seed.investigationId, format: 'docx' })).rejects.toMatchObject({ code: 'invalid_input' });
    const after = await core.ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('keeps files inside their export folder', async () => {
    const r = await exp('gexf');
    expect(() => exportFile(core.dataDir, r.id, '../../dossier.db')).toThrow(/no file/);
    expect(() => exportFile(core.dataDir, '../x', 'investigation.gexf')).toThrow(/not found/);
    expect(exportFile(core.dataDir, r.id, 'investigation.gexf')).toBe(join(core.dataDir, 'exports', r.id, 'investigation.gexf'));
  });
});
