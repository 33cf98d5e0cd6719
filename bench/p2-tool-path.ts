/**
 * P2 (tool path only): the same 1,000 `username.sites` checks as P2 — one
 * username on the fixture's slow site each, 50 at once, fixture answering
 * after 50 ms — through invokeTool and persistToolResult directly, without the
 * executor. It isolates what the tools add per check: params validation,
 * manifest lookup, the shared HTTP client, detection, evidence and the write.
 * Baseline: a bare undici request loop at the same parallelism, in the same run.
 *
 * P2f: what the FTS triggers (migration 008: word and trigram index of every entity write) add to
 * the persist step. The 1,000 tool results of the warm-up round are persisted again one after the
 * other (no network, no waiting on the transaction lock: the concurrent rounds' persist times are
 * mostly queueing), each replay into a fresh investigation (so entities are inserts, the index's
 * dearer path, and no row written without the triggers is ever updated with them: the index would be
 * out of step for it), alternating with the triggers and with them dropped; the fastest of 5 replays, µs per check.
 * The same replay without migration 018's (investigation_id, type, first_seen) index gives its share.
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
  const results: { input: { type: 'username'; value: string }; result: Awaited<ReturnType<typeof invokeTool>> }[] = [];
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
    results[i] = { input, result };
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

  const triggers = core.ctx.sqlite.prepare(`select name, sql from sqlite_master where type = 'trigger' and name like 'entities_fts%'`).all() as {
    name: string;
    sql: string;
  }[];
  if (triggers.length !== 4) throw new Error(`expected the 4 FTS triggers (insert, delete, update old/new), found ${triggers.map((t) => t.name).join(', ')}`);
  const replay = async (label: string): Promise<number> => {
    const investigationId = (await core.call('investigations.create', { name: `P2f ${label}` })).id;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const { input, result } = results[i]!;
      await core.ctx.db
        .transaction()
        .execute((trx) => persistToolResult(trx, { investigationId, runId: `run_p2f_${label}_${i}`, input, result, now: Date.now() }));
    }
    return ((performance.now() - t0) * 1000) / N;
  };
  const withFts: number[] = [];
  const withoutFts: number[] = [];
  const withoutTypeIndex: number[] = [];
  for (let r = 0; r < 5; r++) {
    withFts.push(await replay(`with ${r}`));
    for (const t of triggers) core.ctx.sqlite.exec(`drop trigger ${t.name}`);
    try {
      withoutFts.push(await replay(`without ${r}`));
    } finally {
      for (const t of triggers) core.ctx.sqlite.exec(t.sql);
    }
    // Migration 018's (investigation_id, type, first_seen) index, which P10's typed pages walk: its write share.
    core.ctx.sqlite.exec(`drop index entities_inv_type_seen`);
    try {
      withoutTypeIndex.push(await replay(`no 018 ${r}`));
    } finally {
      core.ctx.sqlite.exec(`create index entities_inv_type_seen on entities (investigation_id, type, first_seen)`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  // The least disturbed replay (the machine is shared: a replay is ~50 ms, one preemption doubles it); medians in extra.
  const on = Math.min(...withFts);
  const off = Math.min(...withoutFts);
  const noIndex = Math.min(...withoutTypeIndex);
  report({
    id: 'P2f',
    what: `persist of one P2 check result (replayed one at a time) with the FTS triggers`,
    figure: on,
    unit: 'us',
    baseline: off,
    baselineWhat: 'the same replay with the FTS triggers dropped',
    floor: 'none (P2 wall is the floor; this is its FTS share)',
    pass: true,
    higherIsBetter: false,
    extra: {
      addedUsPerCheck: on - off,
      addedMsPer1000: ((on - off) * N) / 1000,
      medianWithUs: median(withFts),
      medianWithoutUs: median(withoutFts),
      medianWithout018IndexUs: median(withoutTypeIndex),
      withUs: withFts,
      withoutUs: withoutFts,
      without018IndexUs: noIndex,
      index018AddedUsPerCheck: on - noIndex,
      without018IndexRoundsUs: withoutTypeIndex,
    },
  });
} finally {
  await dispose();
}
