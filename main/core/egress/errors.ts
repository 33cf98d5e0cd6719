import { bareHost, type ToolEgress } from './egress.ts';

const UNREACHABLE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/;

/**
 * When a request failed because the proxy itself could not be reached (down,
 * wrong port, unknown name), the network code of that failure; null when the
 * failure came from further on (the target, through the proxy). Tells the
 * user "the proxy is down" rather than "the site refused".
 */
export function proxyUnreachableCode(e: unknown, egress: ToolEgress): string | null {
  const c = egress.config;
  if (c.mode === 'direct') return null;
  const host = bareHost(c.host);
  const where = `${host}:${c.port}`;
  const seen = new Set<unknown>();
  for (let cur: unknown = e; cur && typeof cur === 'object' && !seen.has(cur); cur = (cur as { cause?: unknown }).cause) {
    seen.add(cur);
    const x = cur as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; message?: unknown };
    const code = typeof x.code === 'string' ? x.code : null;
    if (
      code &&
      UNREACHABLE.test(code) &&
      Number(x.port) === c.port &&
      (x.address === undefined || bareHost(String(x.address)) === host || host === 'localhost')
    )
      return code;
    if (code === 'ENOTFOUND' && x.hostname === host) return code;
    const msg = typeof x.message === 'string' ? x.message : '';
    const m = UNREACHABLE.exec(msg);
    if (m && msg.includes(where)) return m[1]!;
  }
  return null;
}
