import { Resolver } from 'node:dns/promises';
import { ToolError, type ToolContext } from '../types.ts';
import { ToolAbortError } from '../errors.ts';
import { dohLookups, type DnsLookups } from '../../egress/doh.ts';
import type { BuiltinDeps } from './deps.ts';

/**
 * A node:dns Resolver over the configured servers (setting tools.dns.servers
 * or a tool param), with a timeout, one try, and cancellation on abort.
 */
export function parseServers(list: string | string[] | undefined): string[] {
  const raw = Array.isArray(list) ? list : (list ?? '').split(',');
  return raw.map((s) => s.trim()).filter(Boolean);
}

export function makeResolver(servers: string[], timeoutMs: number, signal: AbortSignal): { resolver: Resolver; dispose(): void } {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers.length) {
    try {
      resolver.setServers(servers);
    } catch (e) {
      throw ToolError.permanent(`invalid DNS server list ${servers.join(', ')}: ${(e as Error).message}`);
    }
  }
  const onAbort = () => resolver.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  return { resolver, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * The DNS a run may use: UDP to the configured servers when direct; through a
 * proxy, DNS-over-HTTPS to the `egress.dohUrl` service through that proxy, so
 * no query reaches the local resolver. `via` is what the evidence names.
 */
export async function dnsForRun(
  deps: BuiltinDeps,
  ctx: Pick<ToolContext, 'egress' | 'signal' | 'gate'>,
  serversParam: string | undefined,
  timeoutMs: number,
): Promise<{ lookups: DnsLookups; via: string; servers: string[]; dispose(): void }> {
  if (ctx.egress.config.mode !== 'direct') {
    const url = await deps.settings.get('egress.dohUrl');
    return { lookups: dohLookups({ url, egress: ctx.egress, signal: ctx.signal, timeoutMs, gate: ctx.gate }), via: `doh ${url} via ${ctx.egress.label}`, servers: [], dispose: () => undefined };
  }
  const servers = parseServers(serversParam ?? (await deps.settings.get('tools.dns.servers')));
  const { resolver, dispose } = makeResolver(servers, timeoutMs, ctx.signal);
  return { lookups: resolver, via: servers.join(',') || 'system', servers, dispose };
}

/** Explicit UDP servers cannot be asked through a proxy: the DNS tools refuse rather than ask them directly. */
export function dnsEgressConflict(p: { servers?: string }): string | null {
  return p.servers
    ? 'servers= names DNS servers asked over UDP, which cannot go through a proxy; leave servers= out to resolve by DNS-over-HTTPS through the proxy (setting egress.dohUrl)'
    : null;
}

/** "No such record" answers: an empty result, not a failure. */
const EMPTY = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);
/** Failures worth retrying. */
const TRANSIENT = new Set(['ETIMEOUT', 'ESERVFAIL', 'ECONNREFUSED', 'EREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

export type DnsOutcome<T> = { ok: true; records: T[]; nxdomain?: boolean } | { ok: false; error: ToolError };

/** Run one query; empty answers become [], retryable failures a transient ToolError, aborts rethrow. */
export async function query<T>(fn: () => Promise<T[]>, what: string, signal: AbortSignal): Promise<DnsOutcome<T>> {
  try {
    return { ok: true, records: await fn() };
  } catch (e) {
    if (signal.aborted) throw new ToolAbortError(signal.reason);
    // DNS-over-HTTPS transport failures are already classified.
    if (e instanceof ToolError) return { ok: false, error: e };
    const code = (e as { code?: string }).code ?? '';
    if (EMPTY.has(code)) return { ok: true, records: [], nxdomain: code === 'ENOTFOUND' };
    if (TRANSIENT.has(code)) return { ok: false, error: ToolError.transient(`DNS ${what} failed (${code})`) };
    if (code === 'ECANCELLED') throw new ToolAbortError(signal.reason);
    return { ok: false, error: ToolError.permanent(`DNS ${what} failed (${code || (e as Error).message})`) };
  }
}

/** Domain syntax check shared by the DNS, mail, RDAP and probe tools. */
export function isDomainName(v: string): boolean {
  const d = v.replace(/\.$/, '');
  if (d.length < 1 || d.length > 253) return false;
  return d.split('.').every((l) => /^(?!-)[a-z0-9-_]{1,63}(?<!-)$/i.test(l)) && d.includes('.');
}
