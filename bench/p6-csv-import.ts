/**
 * P6: import of 1,000,000 targets from CSV into a batch.
 *
 * Figure: seconds for `batches.create` with a CSV file source (column chosen
 * by header name): the file streamed through csv-parse, every row an
 * operation inserted many rows per statement, all in one transaction (a bad
 * row anywhere creates nothing). Peak RSS is sampled during the import and
 * compared with the RSS before it: memory must stay flat, not grow with rows.
 * Baseline: a plain line count of the same file (stream read, count '\n').
 */
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { noopTool } from '../main/core/testing/batch-tools.ts';
import { report, sampleRss } from './lib/report.ts';

const N = Number(process.env.P6_ROWS ?? 1_000_000);
const dir = tempDir('dossier-p6-');
const file = join(dir, 'targets.csv');

async function writeCsv(): Promise<void> {
  const out = createWriteStream(file);
  out.write('id,username,email,note\n');
  let chunk = '';
  for (let i = 0; i < N; i++) {
    chunk += `${i},user_${i},user_${i}@example.org,"seen on forum, page ${i % 97}"\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function countLines(): Promise<number> {
  let n = 0;
  for await (const buf of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  }
  return n;
}

await writeCsv();
const core = await createCore({ dataDir: dir, mode: 'test' });
try {
  core.ctx.tools.register(noopTool);
  const inv = (await core.call('investigations.create', { name: 'P6' })).id;

  const tb = performance.now();
  const lines = await countLines();
  const baseline = (performance.now() - tb) / 1000;
  if (lines !== N + 1) throw new Error(`line count ${lines}`);

  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss / 1024 / 1024;
  const rss = sampleRss(20);
  const t0 = performance.now();
  const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file, column: 'username' } });
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss.stop();
  if (b.counts.total !== N) throw new Error(`expected ${N} operations, got ${b.counts.total}`);
  const growth = peak - before;
  report({
    id: 'P6',
    what: `import ${N.toLocaleString('en')} CSV targets into a batch`,
    figure: seconds,
    unit: 's',
    baseline,
    baselineWhat: 'plain line count of the same file',
    floor: '< 20 s, flat memory (RSS growth < 100 MB)',
    pass: seconds < 20 && growth < 100,
    higherIsBetter: false,
    extra: { rssBeforeMB: Math.round(before), rssPeakMB: Math.round(peak), rssGrowthMB: Math.round(growth), rowsPerSecond: Math.round(N / seconds) },
  });
  process.stdout.write(`P6 RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during the import (+${growth.toFixed(0)} MB)\n`);
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
