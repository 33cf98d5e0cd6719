import type { ToolContext, ToolDefinition, ToolInput, ToolResult } from './types.ts';
import { ToolError } from './types.ts';
import { ToolAbortError, classifyError, isAbort } from './errors.ts';
import { checkEgressSupport, egressParam } from '../egress/resolve.ts';
import type { ToolEgress } from '../egress/egress.ts';

export { ToolAbortError, isAbort, classifyError } from './errors.ts';

/** Validate a tool's raw params (from the CLI, the UI, a template) into its typed params. */
export function parseToolParams(def: ToolDefinition, rawParams: unknown): unknown {
  // The core's own `egress` param is checked here too, so templates and batches refuse a bad one when saved.
  egressParam(rawParams);
  const parsed = def.params.safeParse(rawParams ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ');
    throw ToolError.permanent(`invalid parameters for ${def.name}: ${detail}`);
  }
  return parsed.data;
}

export function checkAccepts(def: ToolDefinition, input: ToolInput): void {
  if (!def.accepts.includes(input.type)) {
    throw ToolError.permanent(`${def.name} does not accept ${input.type} inputs (accepts ${def.accepts.join(', ')})`);
  }
  if (!input.value || !input.value.trim()) throw ToolError.permanent(`${def.name}: the input value is empty`);
}

/** Everything that can be said about a run before it starts: params, input type, the tool's own input check. */
export function prepareToolCall(def: ToolDefinition, input: ToolInput, rawParams: unknown): unknown {
  const params = parseToolParams(def, rawParams);
  checkAccepts(def, input);
  try {
    def.validateInput?.(input, params as never);
  } catch (e) {
    throw classifyError(e);
  }
  return params;
}

function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort: () => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ToolAbortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // Never leave an unhandled rejection behind when the run wins the race.
  promise.catch(() => undefined);
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Run one tool once: params validated by the tool's schema, input type
 * checked, the caller's signal honoured even if the tool ignores it, and every
 * failure turned into a ToolError (transient/permanent) or a ToolAbortError
 * (test with `isAbort`). A tool that cannot honour the run's egress is refused
 * (`egress_unsupported`) before it starts; the evidence of what it finds
 * records the egress.
 */
export async function invokeTool(def: ToolDefinition, input: ToolInput, rawParams: unknown, ctx: ToolContext): Promise<ToolResult> {
  const params = prepareToolCall(def, input, rawParams);
  checkEgressSupport(def, params, ctx.egress.config);
  if (ctx.signal.aborted) throw new ToolAbortError(ctx.signal.reason);
  const abort = abortPromise(ctx.signal);
  try {
    return stampEgress(await Promise.race([def.run(input, params as never, ctx), abort.promise]), ctx.egress);
  } catch (e) {
    if (ctx.signal.aborted || isAbort(e)) throw e instanceof ToolAbortError ? e : new ToolAbortError(ctx.signal.reason ?? e);
    throw classifyError(e);
  } finally {
    abort.dispose();
  }
}

/** Every find's evidence says how the tool reached the network. */
function stampEgress(result: ToolResult, egress: ToolEgress): ToolResult {
  for (const e of result.entities) if (e.evidence) e.evidence = { ...e.evidence, egress: egress.label };
  return result;
}
