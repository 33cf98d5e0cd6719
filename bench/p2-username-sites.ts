/**
 * P2: 1,000 `username.sites` checks against a local site fixture answering
 * after 50 ms, max_parallel 50.
 *
 * Figure: wall time (best of three rounds) of a durable batch of 1,000 operations (one username on
 * the fixture's slow site each), from adoption to its final commit, through
 * the real executor, host gate, HTTP client and site checker, with results
 * and evidence stored. Ideal: 1,000 / 50 × 50 ms = 1.0 s.
 * Baseline: a bare fetch loop doing the same 1,000 GETs at the same
 * parallelism, in the same run. The fixture runs in a process of its own. The fixture's host gets a rate limit high
 * enough not to be the bottleneck (its own setting, as a user would set it).
 */
import { report } from './lib/report.ts';
import { P2, P2_IDEAL_S, startP2 } from './lib/p2-setup.ts';

const { N, PARALLEL, ROUNDS } = P2;
const IDEAL_S = P2_IDEAL_S;

const { fx, core, dispose } = await startP2('dossier-p2-');
try {
  await core.call('settings.set', { key: 'executor.hostRates', value: { [new URL(fx.url).host]: { perSecond: 100_000, burst: 1000 } } });
  const inv = (await core.call('investigations.create', { name: 'P2' })).id;
  const users = Array.from({ length: N }, (_, i) => `user${i}`);

  // Warm-up: one run to open the pools and JIT the paths, outside both measurements.
  const warm = await core.call('batches.create', { investigationId: inv, tool: 'username.sites', params: { sites: 'FxSlow' }, source: { kind: 'list', values: ['warmup'] } });
  await core.executor.adopt(warm.id);
  await core.executor.waitFor(warm.id);

  // Baseline: bare fetch loop, same parallelism.
  async function bare(): Promise<number> {
    let next = 0;
    const tb = performance.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < N) {
          const u = users[next++]!;
          const res = await fetch(`${fx.url}/slow/${u}`);
          await res.arrayBuffer();
        }
      }),
    );
    return (performance.now() - tb) / 1000;
  }

  async function durable(round: number): Promise<number> {
    const b = await core.call('batches.create', {
      investigationId: inv,
      name: `P2 round ${round}`,
      tool: 'username.sites',
      params: { sites: 'FxSlow' },
      source: { kind: 'list', values: users },
      options: { maxParallel: PARALLEL },
    });
    const t0 = performance.now();
    await core.executor.adopt(b.id);
    const s = await core.executor.waitFor(b.id);
    const wall = (performance.now() - t0) / 1000;
    if (s.completed !== N) throw new Error(`expected ${N} completed, got ${JSON.stringify(s)}`);
    return wall;
  }

  // Best of three rounds for both, interleaved, so a burst of load on a shared machine hits both alike.
  const bares: number[] = [];
  const walls: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    bares.push(await bare());
    walls.push(await durable(round));
  }
  const baseline = Math.min(...bares);
  const wall = Math.min(...walls);
  const accounts = await core.call('entities.list', { investigationId: inv, type: 'account' });
  if (accounts.total !== 2) throw new Error(`expected 2 accounts found, got ${accounts.total}`);
  process.stdout.write(`P2 rounds: executor ${walls.map((w) => w.toFixed(2)).join(', ')} s; bare fetch ${bares.map((w) => w.toFixed(2)).join(', ')} s\n`);
  report({
    id: 'P2',
    what: `${N} username.sites checks, fixture 50 ms, max_parallel ${PARALLEL}`,
    figure: wall,
    unit: 's',
    baseline,
    baselineWhat: `bare fetch loop, ${PARALLEL} at once`,
    floor: `<= 1.3 x ideal ${IDEAL_S.toFixed(1)} s`,
    pass: wall <= 1.3 * IDEAL_S,
    higherIsBetter: false,
    extra: { ideal: IDEAL_S, ratioToIdeal: Number((wall / IDEAL_S).toFixed(3)), rounds: walls, bareRounds: bares },
  });
  process.stdout.write(`P2 ${wall.toFixed(2)} s = ${(wall / IDEAL_S).toFixed(2)} x the ideal ${IDEAL_S.toFixed(1)} s\n`);
} finally {
  await dispose();
}
