import { z } from 'zod';
import type { DossierCore } from '../core.ts';
import { defineTool, ToolError, type ToolDefinition } from '../tools/types.ts';
import { tempCore } from '../testing/temp-core.ts';
import { rebuildOpRollups } from './rebuild.ts';

/** A clock the test moves by hand. */
export function manualClock(t: number) {
  return {
    t,
    now() {
      return this.t;
    },
  };
}
export type ManualClock = ReturnType<typeof manualClock>;

/**
 * Input "<ms>" takes exactly that long on the injected clock and succeeds;
 * "<ms>:<status>" fails with that HTTP status; "<ms>:zod" with invalid data;
 * "hold" waits until release() (and resolves `held` when reached).
 * Run with max_parallel 1, so each run's duration is known exactly.
 */
export function latencyTool(clock: ManualClock): ToolDefinition & { held: Promise<void>; release(): void } {
  let release = () => undefined as void;
  let reached = () => undefined as void;
  const hold = new Promise<void>((r) => (release = r));
  const held = new Promise<void>((r) => (reached = r));
  const def = defineTool({
    name: 'test.latency',
    title: 'Known latency',
    description: 'Takes the time its input says.',
    accepts: ['other', 'username'] as const,
    params: z.object({}),
    hosts: () => [],
    rateLimit: { perSecond: 0, burst: 1 },
    async run(input) {
      if (input.value === 'hold') {
        reached();
        await hold;
        return { entities: [], links: [], summary: 'held' };
      }
      const [ms, fail] = input.value.split(':');
      // Yield first, so the executor's group commit of the previous run lands at the time it finished.
      await new Promise((r) => setTimeout(r, 1));
      clock.t += Number(ms);
      if (fail === 'zod') z.object({ id: z.number() }).parse({ id: 'x' });
      if (fail) throw new ToolError(Number(fail) === 429 || Number(fail) >= 500 ? 'transient' : 'permanent', `HTTP ${fail}`, { httpStatus: Number(fail) });
      return { entities: [], links: [], summary: 'ok' };
    },
  });
  return Object.assign(def, { held, release: () => release() });
}

export async function analyticsCore(now: number) {
  const clock = manualClock(now);
  const core = await tempCore({ clock });
  const tool = latencyTool(clock);
  core.ctx.tools.register(tool);
  return { core, clock, tool };
}

export interface SeedRun {
  at: number;
  ms: number;
  tool?: string;
  inv: string;
  outcome?: 'completed' | 'failed' | 'retry' | 'refused';
  code?: string;
}

/** Runs written straight into op_runs at chosen times, then rolled up in SQL (as the benchmark does). */
export function seedRuns(core: DossierCore, runs: SeedRun[]): void {
  const { sqlite } = core.ctx;
  const from = Number(sqlite.prepare('select coalesce(max(id), 0) + 1 from op_runs').pluck().get());
  const stmt = sqlite.prepare(`insert into op_runs (finished_at, investigation_id, batch_id, tool, outcome, code, duration_ms) values (?, ?, 'bat_seed', ?, ?, ?, ?)`);
  sqlite.transaction(() => {
    for (const r of runs) stmt.run(r.at, r.inv, r.tool ?? 'test.latency', r.outcome ?? 'completed', r.code ?? (r.outcome && r.outcome !== 'completed' ? 'tool_error' : ''), r.ms);
  })();
  rebuildOpRollups(sqlite, from);
}

/** Deterministic PRNG (mulberry32) for generated fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
