/**
 * Regenerates the committed sample report from the sample data:
 * `npx tsx scripts/sample-report.ts`. The sample data is
 * resources/samples/investigation.json (a Dossier JSON export; made from the
 * test fixture when it is missing); it is imported into a throwaway data
 * directory and exported as HTML, PDF and GEXF next to it.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { seedInvestigation } from '../main/core/testing/report-fixture.ts';
import { exportFile } from '../main/core/reports/export.ts';

const samples = fileURLToPath(new URL('../resources/samples/', import.meta.url));
const data = join(samples, 'investigation.json');
const dir = tempDir('dossier-sample-');
const core = await createCore({ dataDir: dir, mode: 'cli' });
try {
  if (!existsSync(data)) {
    const seed = await seedInvestigation(core);
    const r = await core.call('reports.export', { investigationId: seed.investigationId, format: 'json' });
    copyFileSync(exportFile(dir, r.id, 'investigation.json'), data);
  }
  const inv = await core.call('reports.importInvestigation', { source: { path: data } });
  for (const [format, name, to] of [
    ['html', 'report.html', 'sample-report.html'],
    ['pdf', 'report.pdf', 'sample-report.pdf'],
    ['gexf', 'investigation.gexf', 'sample-graph.gexf'],
  ] as const) {
    const r = await core.call('reports.export', { investigationId: inv.investigationId, format });
    copyFileSync(exportFile(dir, r.id, name), join(samples, to));
    process.stdout.write(`wrote resources/samples/${to}\n`);
  }
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
