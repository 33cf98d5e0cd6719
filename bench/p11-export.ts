/**
 * P11: export of an investigation with 50,000 entities and 100,000 links to
 * GraphML, GEXF, CSV and JSON.
 *
 * Figure per format: seconds for `reports.export` (snapshot connection,
 * streamed to disk), with the peak RSS above the RSS before it. Baseline, in
 * the same run: the same rows read with one `.all()` and turned into one
 * string by a bare `JSON.stringify` (everything in memory), with its own RSS
 * growth. Floor: each < 10 s, memory flat (the export's RSS growth must stay
 * well under the baseline's, which holds every row at once).
 */
import { rmSync } from 'node:fs';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { ENTITY_TYPES, LINK_TYPES } from '../preload/contract/entities.ts';
import { report, sampleRss } from './lib/report.ts';

const ENTITIES = Number(process.env.P11_ENTITIES ?? 50_000);
const LINKS = Number(process.env.P11_LINKS ?? 100_000);
const dir = tempDir('dossier-p11-');
const core = await createCore({ dataDir: dir, mode: 'test' });
const gc = () => (globalThis as { gc?: () => void }).gc?.();

try {
  const inv = (await core.call('investigations.create', { name: 'P11' })).id;
  const db = core.ctx.sqlite;
  const t0 = Date.UTC(2026, 0, 1);
  const runIns = db.prepare(
    "insert into tool_runs (id, investigation_id, tool, input_type, input_value, params, status, started_at, finished_at, duration_ms, entity_count, created_count, entity_ids) values (?, ?, 'username.sites', 'username', ?, '{}', 'succeeded', ?, ?, 1000, 10, 10, '[]')",
  );
  const entIns = db.prepare('insert into entities (id, investigation_id, type, value, normalized, label, properties, source_run_id, evidence, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const linkIns = db.prepare("insert into links (id, investigation_id, source_id, target_id, type, properties, source_run_id, created_at) values (?, ?, ?, ?, ?, '{}', ?, ?)");
  db.transaction(() => {
    for (let r = 0; r < 1000; r++) runIns.run(`run_${r}`, inv, `user_${r}`, t0 + r * 60_000, t0 + r * 60_000 + 1000);
    for (let i = 0; i < ENTITIES; i++) {
      const type = ENTITY_TYPES[i % ENTITY_TYPES.length]!;
      const value = `${type}-value-${i}@example.org`;
      const evidence = i % 3 === 0 ? JSON.stringify({ httpStatus: 200, finalUrl: `https://example.org/u/${i}`, sha256: 'ab'.repeat(32), observedAt: new Date(t0 + i * 1000).toISOString() }) : null;
      entIns.run(`ent_${i}`, inv, type, value, value, i % 2 ? `Label ${i}` : null, JSON.stringify({ site: `site${i % 50}`, rank: i }), `run_${i % 1000}`, evidence, t0 + i * 1000, t0 + i * 1000);
    }
    for (let j = 0; j < LINKS; j++) {
      const a = j % ENTITIES;
      const b = (a + 1 + Math.floor(j / ENTITIES) * 7919) % ENTITIES;
      linkIns.run(`lnk_${j}`, inv, `ent_${a}`, `ent_${b === a ? (b + 1) % ENTITIES : b}`, LINK_TYPES[j % LINK_TYPES.length]!, `run_${j % 1000}`, t0 + j * 500);
    }
  })();

  // Baseline: the same rows, all in memory, one JSON.stringify.
  gc();
  const baseBefore = process.memoryUsage().rss / 1024 / 1024;
  const baseRss = sampleRss(10);
  const tb = performance.now();
  const rows = {
    entities: db.prepare('select * from entities where investigation_id = ?').all(inv),
    links: db.prepare('select * from links where investigation_id = ?').all(inv),
  };
  const text = JSON.stringify(rows);
  const baseline = (performance.now() - tb) / 1000;
  const basePeak = baseRss.stop() - baseBefore;
  if (text.length < ENTITIES * 50) throw new Error('baseline too small');
  rows.entities.length = 0;
  rows.links.length = 0;

  for (const format of ['graphml', 'gexf', 'csv', 'json'] as const) {
    gc();
    const before = process.memoryUsage().rss / 1024 / 1024;
    const rss = sampleRss(10);
    const t = performance.now();
    const r = await core.call('reports.export', { investigationId: inv, format });
    const secs = (performance.now() - t) / 1000;
    const growth = rss.stop() - before;
    if (r.entities !== ENTITIES || r.links !== LINKS) throw new Error(`export counted ${r.entities}/${r.links}`);
    const bytes = r.files.reduce((n, f) => n + f.bytes, 0);
    report({
      id: 'P11',
      what: `export ${format} (${ENTITIES.toLocaleString()} entities, ${LINKS.toLocaleString()} links)`,
      figure: secs,
      unit: 's',
      baseline,
      baselineWhat: 'rows .all() + bare JSON.stringify',
      floor: '< 10 s, flat memory',
      pass: secs < 10 && growth < Math.max(100, basePeak),
      higherIsBetter: false,
      extra: { peakRssGrowthMb: Math.round(growth), baselineRssGrowthMb: Math.round(basePeak), megabytes: Math.round(bytes / 1024 / 1024) },
    });
    process.stdout.write(`    peak RSS +${growth.toFixed(0)} MB (baseline +${basePeak.toFixed(0)} MB), ${(bytes / 1024 / 1024).toFixed(1)} MB written\n`);
    rmSync(`${dir}/exports/${r.id}`, { recursive: true, force: true });
  }
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
