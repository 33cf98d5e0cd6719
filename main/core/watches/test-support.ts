import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../tools/types.ts';
import type { Clock } from '../util/time.ts';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** What the `test.accounts` tool finds per username: site → evidence hash. Tests edit it between runs. */
export type AccountsWorld = Map<string, Map<string, string>>;

/**
 * Finds accounts the way username.sites does (an `account` per site with
 * site/username properties and an evidence hash, linked from the username),
 * from a map the test controls; `gate` holds runs until the test opens it.
 */
export function accountsTool(world: AccountsWorld, gate?: { wait: Promise<void> | null; started: number }): ToolDefinition {
  return defineTool({
    name: 'test.accounts',
    title: 'Accounts',
    description: 'Finds the accounts the test says exist.',
    accepts: ['username'] as const,
    params: z.object({}),
    hosts: () => [],
    rateLimit: { perSecond: 0, burst: 1 },
    async run(input, _p, ctx) {
      if (gate) {
        gate.started++;
        if (gate.wait) {
          await Promise.race([gate.wait, new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true }))]);
        }
      }
      const sites = world.get(input.value) ?? new Map<string, string>();
      const entities = [...sites].map(([site, sha256]) => ({
        ref: site,
        type: 'account' as const,
        value: `https://${site.toLowerCase()}.example/${input.value}`,
        properties: { site, username: input.value },
        evidence: { sha256, observedAt: new Date().toISOString(), httpStatus: 200 },
      }));
      return { entities, links: entities.map((e) => ({ source: 'input', target: e.ref, type: 'has_account' as const })), summary: `${entities.length} accounts` };
    },
  });
}
