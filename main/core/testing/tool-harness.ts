import { tempCore } from './temp-core.ts';
import { makeToolContext } from '../tools/context.ts';
import { invokeTool } from '../tools/invoke.ts';
import { runTool } from '../tools/run.ts';
import type { ToolInput } from '../tools/types.ts';
import { ToolError } from '../tools/types.ts';
import type { CoreOptions } from '../core.ts';
import { DIRECT, type ToolEgress } from '../egress/egress.ts';

/**
 * A core over a real SQLite file plus the calls tool tests repeat: run a tool
 * through the core, invoke it bare with a signal, count what was written.
 */
export async function toolHarness(opts: Partial<CoreOptions> = {}) {
  const core = await tempCore(opts);
  const inv = (await core.call('investigations.create', { name: 'tool test' })).id;
  return {
    core,
    inv,
    run: (tool: string, input: ToolInput, params: Record<string, unknown> = {}, signal?: AbortSignal) =>
      runTool(core.ctx, { investigationId: inv, tool, input, params, signal }),
    /** Invoke without recording; resolves to the result or the ToolError/abort thrown. */
    invoke: async (tool: string, input: ToolInput, params: Record<string, unknown> = {}, signal = new AbortController().signal, egress: ToolEgress = DIRECT) => {
      const ctx = makeToolContext(core.ctx, { investigationId: inv, runId: 'run_bare', signal, egress });
      try {
        return { ok: true as const, result: await invokeTool(core.ctx.tools.get(tool), input, params, ctx) };
      } catch (e) {
        return { ok: false as const, error: e as ToolError | Error };
      }
    },
    async counts() {
      const n = async (t: 'entities' | 'links' | 'tool_runs') =>
        Number((await core.ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return { entities: await n('entities'), links: await n('links'), runs: await n('tool_runs') };
    },
    dispose: () => core.dispose(),
  };
}
export type ToolHarness = Awaited<ReturnType<typeof toolHarness>>;
export { ToolError };
