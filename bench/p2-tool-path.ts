/**
 * P2 (tool path only): the same 1,000 `username.sites` checks as P2 — one
 * username on the fixture's slow site each, 50 at once, fixture answering
 * after 50 ms — through invokeTool and persistToolResult directly, without the
 * executor. It isolates what the tools add per check: params validation,
 * manifest lookup, the shared HTTP client, detection, evidence and the write.
 * Baseline: a bare undici request loop at the same parallelism, in the same run.
 */
import { request } from 'undici';
import { invokeTool } from '../main/core/tools/invoke.ts';
import { persistToolResult } from '../main/core/tools/persist.ts';
import { makeToolContext } from '../main/core/tools/context.ts';
import { DIRECT } from '../main/core/egress/egress.ts';
import { report } from './lib/report.ts';
import { P2, P2_IDEAL_S, startP2 } from './lib/p2-setup.ts';

const { N, PARALLEL, ROUNDS } = P2;
const IDEAL_S = P2_IDEAL_S;

const { fx, core, dispose } = await startP2('dossier-p2t-');

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
    const result = await invokeTool(
      def,
      input,
      { sites: 'FxSlow' },
      makeToolContext(core.ctx, { investigationId: inv, runId, signal: new AbortController().signal, egress: DIRECT }),
    );
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
  // The persist cost of the FTS triggers (#12): the same rounds with them dropped, then restored.
  // Only entity writes fire them: after the warm-up round the 2 hits a round are merges of entities that exist
  // (the update triggers run only when indexed text changes), so P2 itself writes almost nothing to the index.
  const ftsTriggers = core.ctx.sqlite.prepare(`select name, sql from sqlite_master where type = 'trigger' and name like 'entities_fts_%'`).all() as {
    name: string;
    sql: string;
  }[];
  for (const t of ftsTriggers) core.ctx.sqlite.exec(`drop trigger ${t.name}`);
  const noFts: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) noFts.push(await pool(check));
  } finally {
    for (const t of ftsTriggers) core.ctx.sqlite.exec(t.sql);
  }
  process.stdout.write(
    `P2t FTS triggers: best round ${Math.min(...walls).toFixed(3)} s with, ${Math.min(...noFts).toFixed(3)} s without (${ftsTriggers.length} triggers, same run)\n`,
  );
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
    extra: { ideal: IDEAL_S, rounds: walls, bareRounds: bares, roundsWithoutFtsTriggers: noFts },
  });
} finally {
  await dispose();
}
