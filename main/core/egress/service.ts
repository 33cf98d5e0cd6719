import { isIP } from 'node:net';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import type { egressMethods, EgressProbe } from '../../../preload/contract/egress.ts';
import type { CoreContext } from '../context.ts';
import { httpRequest } from '../tools/http.ts';
import { Vault } from '../vault/vault.ts';
import { DIRECT, type ToolEgress } from './egress.ts';
import { resolveEgress } from './resolve.ts';

const PROBE_TIMEOUT_MS = 15_000;

/**
 * The leak check of Settings → Egress: the echo URL asked directly and
 * through the egress at once, and the two addresses it saw side by side.
 */
export function createEgressHandlers(ctx: CoreContext): HandlersOf<typeof egressMethods> {
  return {
    async 'egress.test'({ egress, echoUrl }) {
      const config = egress ?? (await ctx.settings.get('egress.default'));
      const url = echoUrl ?? (await ctx.settings.get('egress.echoUrl'));
      const resolved = await resolveEgress(config, (name) => new Vault(ctx.db, ctx.secrets).reveal(name));
      const [direct, proxied] = await Promise.all([probe(url, DIRECT), probe(url, resolved)]);
      return {
        echoUrl: url,
        egress: resolved.label,
        direct,
        proxied,
        sameAddress: direct.ok && proxied.ok && direct.address === proxied.address,
      };
    },
  };
}

async function probe(url: string, egress: ToolEgress): Promise<EgressProbe> {
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  try {
    const res = await httpRequest({ url, egress, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), timeoutMs: PROBE_TIMEOUT_MS, maxBytes: 64 * 1024, maxRedirects: 3, headers: { accept: 'application/json, text/plain;q=0.9' } });
    if (res.status !== 200) return { ok: false, address: null, error: `the echo service answered HTTP ${res.status}`, elapsedMs: elapsed() };
    const address = addressIn(res.text());
    if (!address) return { ok: false, address: null, error: 'the echo service answered without an IP address', elapsedMs: elapsed() };
    return { ok: true, address, error: null, elapsedMs: elapsed() };
  } catch (e) {
    return { ok: false, address: null, error: e instanceof Error ? e.message : String(e), elapsedMs: elapsed() };
  }
}

/** What echo services answer: `{"ip": ...}` (ipify), `{"IP": ...}` (check.torproject.org), `{"origin": ...}` (httpbin), or the bare address. */
export function addressIn(body: string): string | null {
  const text = body.trim();
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc && typeof doc === 'object') {
      for (const k of ['ip', 'IP', 'origin', 'address', 'query']) {
        const v = (doc as Record<string, unknown>)[k];
        if (typeof v === 'string') {
          const first = v.split(',')[0]!.trim();
          if (isIP(first)) return first;
        }
      }
      return null;
    }
  } catch {
    // not JSON: a bare address
  }
  const first = text.split(/\s+/)[0] ?? '';
  return isIP(first) ? first : null;
}
