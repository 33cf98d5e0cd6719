/**
 * P1: executor overhead, no-op tool, 100,000 operations, durable.
 *
 * Figure: operations per second of the real executor on a real SQLite file
 * (WAL, synchronous=NORMAL): every operation claimed from the database, run
 * through invokeTool with its own AbortSignal and host gate, and its status,
 * attempt row and the batch counters committed (group commits) before it
 * counts. Peak RSS over the run is reported (floor < 300 MB).
 * Baseline (measured after, so its garbage does not count in the executor's RSS):
 * the same number of invokeTool calls of the same tool from an
 * in-memory loop at the same parallelism (50), nothing stored.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { noopTool } from '../main/core/testing/batch-tools.ts';
import { invokeTool } from '../main/core/tools/invoke.ts';
import { makeToolContext } from '../main/core/tools/context.ts';
import { DIRECT } from '../main/core/egress/egress.ts';
import { report, sampleRss } from './lib/report.ts';

const N = Number(process.env.P1_OPS ?? 100_000);
const PARALLEL = 50;
const dir = tempDir('dossier-p1-');
const core = await createCore({ dataDir: dir, mode: 'test' });
try {
  core.ctx.tools.register(noopTool);
  const inv = (await core.call('investigations.create', { name: 'P1' })).id;

  const tc = performance.now();
  // Inputs streamed from a file, as a user with 100,000 targets would give them.
  const file = join(dir, 'targets.txt');
  writeFileSync(file, Array.from({ length: N }, (_, i) => `u${i}`).join('\n'));
  const b = await core.call('batches.create', { investigationId: inv, tool: 'test.noop', source: { kind: 'file', path: file }, options: { maxParallel: PARALLEL } });
  const createS = (performance.now() - tc) / 1000;
  (globalThis as { gc?: () => void }).gc?.();

  const rssBefore = process.memoryUsage().rss / 1024 / 1024;
  const rss = sampleRss(20);
  const t0 = performance.now();
  await core.executor.adopt(b.id);
  const s = await core.executor.waitFor(b.id);
  const runS = (performance.now() - t0) / 1000;
  const peak = rss.stop();
  if (s.completed !== N) throw new Error(`expected ${N} completed, got ${JSON.stringify(s)}`);
  const check = core.ctx.sqlite.prepare(`select count(*) as n from operation_attempts`).get() as { n: number };
  if (check.n !== N) throw new Error(`expected ${N} attempt rows, got ${check.n}`);
  // Baseline: in-memory loop, same calls, same parallelism.
  const ctx = makeToolContext(core.ctx, { investigationId: inv, runId: 'bench', signal: new AbortController().signal, egress: DIRECT });
  let next = 0;
  const tb = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < N) {
        const i = next++;
        // Like the executor: a signal of its own per call.
        await invokeTool(noopTool, { type: 'username', value: `u${i}` }, {}, { ...ctx, signal: new AbortController().signal });
      }
    }),
  );
  const baseline = N / ((performance.now() - tb) / 1000);

  const figure = N / runS;
  report({
    id: 'P1',
    what: `executor, no-op tool, ${N.toLocaleString('en')} ops durable`,
    figure,
    unit: 'ops/s',
    baseline,
    baselineWhat: 'in-memory invokeTool loop, same parallelism',
    floor: '>= 10,000 ops/s and peak RSS < 300 MB',
    pass: figure >= 10_000 && peak < 300,
    higherIsBetter: true,
    extra: { peakRssMB: Math.round(peak), runSeconds: Number(runS.toFixed(2)), createSeconds: Number(createS.toFixed(2)), maxParallel: PARALLEL },
  });
  process.stdout.write(`P1 RSS ${rssBefore.toFixed(0)} MB at start of the run, peak ${peak.toFixed(0)} MB; batch creation ${createS.toFixed(2)} s (not in the figure)\n`);
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
