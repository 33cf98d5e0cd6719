/**
 * P13: a batch that finds things, and deleting it with its finds (issue #18 item 2).
 *
 * Figure: operations per second of a real batch of test.expand (input n finds usernames n+1 and n+2, linked to
 * n), so every operation upserts two entities and two links and records who found them (migration 024's
 * finder rows, written in the group commit). Baseline, same run and parallelism: the same number of
 * operations of test.noop, which finds nothing: the difference is the cost of storing finds.
 * Extra: how long `batches.onlyFinds` (the count shown before confirming) and `batches.delete` with finds
 * take on that batch's ~2N entities and links.
 */
import { rmSync } from 'node:fs';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { expandTool, noopTool } from '../main/core/testing/batch-tools.ts';
import { report } from './lib/report.ts';

const N = Number(process.env.P13_OPS ?? 10_000);
const PARALLEL = 50;
const dir = tempDir('dossier-p13-');
const core = await createCore({ dataDir: dir, mode: 'test' });
try {
  core.ctx.tools.register(expandTool).register(noopTool);
  const inv = (await core.call('investigations.create', { name: 'P13' })).id;
  // Even inputs: the n+2 one operation finds is the next operation's input, so finds merge as in a real sweep.
  const values = Array.from({ length: N }, (_, i) => String(i * 2));

  const run = async (tool: string): Promise<{ id: string; seconds: number }> => {
    const b = await core.call('batches.create', {
      investigationId: inv,
      tool,
      source: { kind: 'list', values },
      inputType: 'username',
      options: { maxParallel: PARALLEL },
    });
    const t0 = performance.now();
    await core.executor.adopt(b.id);
    const s = await core.executor.waitFor(b.id);
    if (s.completed !== N) throw new Error(`expected ${N} completed, got ${JSON.stringify(s)}`);
    return { id: b.id, seconds: (performance.now() - t0) / 1000 };
  };

  const finds = await run('test.expand');
  const bare = await run('test.noop');
  const entities = (core.ctx.sqlite.prepare(`select count(*) as n from entities`).get() as { n: number }).n;

  const tc = performance.now();
  const only = await core.call('batches.onlyFinds', { id: finds.id });
  const countMs = performance.now() - tc;
  const td = performance.now();
  const gone = await core.call('batches.delete', { id: finds.id, withFinds: true });
  const deleteMs = performance.now() - td;
  if (gone.entities !== only.entities || gone.entities !== entities)
    throw new Error(`expected ${entities} entities deleted, counted ${only.entities}, deleted ${gone.entities}`);

  const figure = N / finds.seconds;
  report({
    id: 'P13',
    what: `batch storing finds (2 entities + 2 links per op, finders recorded), ${N.toLocaleString('en')} ops`,
    figure,
    unit: 'ops/s',
    baseline: N / bare.seconds,
    baselineWhat: 'same executor, same parallelism, a tool that finds nothing',
    floor: 'none set (SPEC §6 has no figure for finds); reported for comparison',
    pass: true,
    higherIsBetter: true,
    extra: { entities, links: only.links, onlyFindsMs: Math.round(countMs), deleteWithFindsMs: Math.round(deleteMs), maxParallel: PARALLEL },
  });
} finally {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
}
