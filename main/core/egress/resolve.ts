import { Egress, egressLabel, type Egress as EgressT } from '../../../preload/contract/egress.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { SettingsService } from '../settings/service.ts';
import { ToolError, type ToolDefinition } from '../tools/types.ts';
import { toolEgress, type ToolEgress } from './egress.ts';

/**
 * Which egress a run uses, most specific first: the `egress` param of the run
 * or template step, the batch option, the per-tool setting `egress.tools`,
 * the global setting `egress.default`. The one place that order is written.
 */

/** The param name the core reads for a run's own egress; tools never see it (their schemas drop unknown keys). */
export const EGRESS_PARAM = 'egress';

export class EgressUnsupportedError extends ToolError {
  readonly code = 'egress_unsupported';
  constructor(message: string) {
    super('permanent', `egress_unsupported: ${message}`);
    this.name = 'EgressUnsupportedError';
  }
}

/** The `egress` param of raw tool params, validated; undefined when there is none. */
export function egressParam(rawParams: unknown): EgressT | undefined {
  if (!rawParams || typeof rawParams !== 'object') return undefined;
  const raw = (rawParams as Record<string, unknown>)[EGRESS_PARAM];
  if (raw === undefined || raw === null) return undefined;
  const parsed = Egress.safeParse(raw);
  if (!parsed.success) {
    throw ToolError.permanent(`invalid parameters: egress: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ')} (use direct, tor, http://host:port, socks5h://host:port)`);
  }
  return parsed.data;
}

export async function effectiveEgress(
  settings: Pick<SettingsService, 'get'>,
  tool: string,
  layers: { param?: EgressT; batch?: EgressT },
): Promise<EgressT> {
  if (layers.param) return layers.param;
  if (layers.batch) return layers.batch;
  const perTool = (await settings.get('egress.tools'))[tool];
  return perTool ?? (await settings.get('egress.default'));
}

/** Refuse, before anything is sent, a tool that cannot keep its traffic on a proxy egress. */
export function checkEgressSupport(def: ToolDefinition, params: unknown, egress: EgressT): void {
  if (egress.mode === 'direct') return;
  if (!def.egress) throw new EgressUnsupportedError(`${def.name} cannot send its traffic through ${egressLabel(egress)}; set its egress to direct to run it`);
  const conflict = def.egressConflict?.(params as never, egress);
  if (conflict) throw new EgressUnsupportedError(`${def.name}: ${conflict}`);
}

/** Read the proxy credential from the vault. A missing credential fails the run, it never falls back to no authentication. */
export async function resolveEgress(config: EgressT, credential: (name: string) => Promise<string>): Promise<ToolEgress> {
  if (config.mode === 'direct' || !config.credential) return toolEgress(config);
  let secret: string;
  try {
    secret = await credential(config.credential);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new DossierError('invalid_input', `proxy credential for ${egressLabel(config)}: ${msg}`);
  }
  return toolEgress(config, secret);
}

/**
 * Egress resolution for the runs of one batch: settings and credentials read
 * at most once per `ttlMs` per (tool, step egress), so thousands of runs do
 * not query SQLite for it; a change applies to runs that start after the TTL.
 */
export class BatchEgress {
  private readonly cache = new Map<string, { at: number; value: Promise<ToolEgress> }>();
  constructor(
    private readonly settings: Pick<SettingsService, 'get'>,
    private readonly credential: (name: string) => Promise<string>,
    private readonly batch: EgressT | undefined,
    private readonly ttlMs = 1000,
  ) {}

  /** `paramsKey` identifies the raw params (the operation's params text) the step egress came from. */
  get(tool: string, paramsKey: string, rawParams: unknown): Promise<ToolEgress> {
    const key = `${tool}\u0000${paramsKey}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = (async () => resolveEgress(await effectiveEgress(this.settings, tool, { param: egressParam(rawParams), batch: this.batch }), this.credential))();
    value.catch(() => this.cache.delete(key));
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, { at: now, value });
    return value;
  }
}
