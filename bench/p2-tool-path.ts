/**
 * P2 (tool path only): the same 1,000 `username.sites` checks as P2 — one
 * username on the fixture's slow site each, 50 at once, fixture answering
 * after 50 ms — through invokeTool and persistToolResult directly, without the
 * executor. It isolates what the tools add per check: params validation,
 * manifest lookup, the shared HTTP client, detection, evidence and the write.
 * Baseline: a bare undici request loop at the same parallelism, in the same run.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { fixtureManifest } from '../main/core/testing/fixtures/sites-manifest.ts';
import { closeHttpAgents } from '../main/core/tools/http.ts';
import { invokeTool } from '../main/core/tools/invoke.ts';
import { persistToolResult } from '../main/core/tools/persist.ts';
import { makeToolContext } from '../main/core/tools/context.ts';
import { report } from './lib/report.ts';

const N = 1000;
const PARALLEL = 50;
const DELAY_MS = 50;
const ROUNDS = 3;
const IDEAL_S = (N / PARALLEL) * (DELAY_MS / 1000);

const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lib/site-fixture-server.ts', import.meta.url)), String(DELAY_MS), 'user1,user500'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
const fx = JSON.parse(String(first.value)) as { url: string };
const dir = tempDir('dossier-p2t-');
writeFileSync(join(dir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxSlow'])));
const core = await createCore({ dataDir: dir, mode: 'test' });

async function pool(fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < N) await fn(next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

try {
  const inv = (await core.call('investigations.create', { name: 'P2 tool path' })).id;
  const def = core.ctx.tools.get('username.sites');
  let found = 0;
  const check = async (i: number) => {
    const runId = `run_p2t_${i}`;
    const input = { type: 'username' as const, value: `user${i}` };
    const result = await invokeTool(def, input, { sites: 'FxSlow' }, makeToolContext(core.ctx, { investigationId: inv, runId, signal: new AbortController().signal }));
    const out = await core.ctx.db.transaction().execute((trx) => persistToolResult(trx, { investigationId: inv, runId, input, result, now: Date.now() }));
    found += out.entityIds.length;
  };
  const bare = (i: number) => request(`${fx.url}/slow/user${i}`).then((r) => r.body.arrayBuffer());

  await pool(bare); // warm both pools and the JIT outside the measurements
  await pool(check);
  found = 0;
  const walls: number[] = [];
  const bares: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bares.push(await pool(bare));
    walls.push(await pool(check));
  }
  if (found !== 2 * ROUNDS) throw new Error(`expected 2 accounts per round, got ${found} in ${ROUNDS} rounds`);
  const wall = Math.min(...walls);
  const baseline = Math.min(...bares);
  report({
    id: 'P2t',
    what: `${N} username.sites checks via invokeTool+persist, 50 ms, ${PARALLEL} at once`,
    figure: wall,
    unit: 's',
    baseline,
    baselineWhat: `bare undici loop, ${PARALLEL} at once`,
    floor: `<= 1.3 x ideal ${IDEAL_S.toFixed(1)} s`,
    pass: wall <= 1.3 * IDEAL_S,
    higherIsBetter: false,
    extra: { ideal: IDEAL_S, rounds: walls, bareRounds: bares },
  });
} finally {
  await core.close();
  await closeHttpAgents();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
