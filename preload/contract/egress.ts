import { z } from 'zod';
import { method } from './define.ts';

/**
 * Network egress (SPEC §3.11): how the tools reach the network. Direct, an
 * HTTP(S) proxy, or a SOCKS5 proxy that also resolves the names (`socks5h`:
 * Dossier never resolves a target name itself when a SOCKS5 proxy is set).
 * Proxy credentials come from the vault by name ("user:password").
 *
 * Where it is set, most specific first: the `egress` param of a run or a
 * template step, the batch option `egress`, the setting `egress.tools`
 * (per tool), the setting `egress.default`.
 */

export const EGRESS_MODES = ['direct', 'http', 'https', 'socks5'] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

/** Tor's SOCKS port on the same machine: the common case, offered as a preset. */
export const TOR_PRESET = { mode: 'socks5', host: '127.0.0.1', port: 9050 } as const;

const ProxyEgress = z.object({
  mode: z.enum(['http', 'https', 'socks5']),
  host: z
    .string()
    .trim()
    .min(1, 'the proxy host is required')
    .max(255)
    .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._:-]+)$/, 'the proxy host is a name or an IP address'),
  port: z.coerce.number().int().min(1).max(65535),
  /** Vault credential holding "user:password" for the proxy. */
  credential: z
    .string()
    .trim()
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a credential name may contain letters, digits, ".", "_" and "-"')
    .optional(),
});

/**
 * Written as an object, or as text: `direct`, `tor`, `http://host:port`,
 * `https://host:port`, `socks5h://host:port` (`socks5://` means the same: DNS
 * always goes through the proxy), with `?credential=NAME` for a vault credential.
 */
export const Egress = z.preprocess(
  egressShorthand,
  z.discriminatedUnion('mode', [z.object({ mode: z.literal('direct') }), ProxyEgress]),
);
export type Egress = z.output<typeof Egress>;
export type EgressInput = z.input<typeof ProxyEgress> | { mode: 'direct' } | string;

export const DIRECT_EGRESS: Egress = { mode: 'direct' };

/** Text forms of an egress (the CLI, a tool param typed by hand) into the object form; other values pass through. */
export function egressShorthand(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s === '' || s.toLowerCase() === 'direct') return { mode: 'direct' };
  if (s.toLowerCase() === 'tor') return { ...TOR_PRESET };
  if (s.startsWith('{')) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return v;
    }
  }
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return v;
  }
  const scheme = u.protocol.replace(/:$/, '').toLowerCase();
  const mode = scheme === 'socks5h' || scheme === 'socks5' ? 'socks5' : scheme === 'http' || scheme === 'https' ? scheme : null;
  if (!mode || u.username || u.password || (u.pathname && u.pathname !== '/')) return v;
  const port = u.port ? Number(u.port) : mode === 'socks5' ? 1080 : mode === 'https' ? 443 : 80;
  const credential = u.searchParams.get('credential') ?? undefined;
  return { mode, host: u.hostname, port, ...(credential ? { credential } : {}) };
}

/** How an egress is shown and recorded in evidence: never with a secret, with the credential's name. */
export function egressLabel(e: Egress): string {
  if (e.mode === 'direct') return 'direct';
  const scheme = e.mode === 'socks5' ? 'socks5h' : e.mode;
  return `${scheme}://${e.host}:${e.port}${e.credential ? ` (credential ${e.credential})` : ''}`;
}

export const EgressTestInput = z.object({
  /** The egress to test; default: the `egress.default` setting. */
  egress: Egress.optional(),
  /** A URL that answers with the caller's address; default: the `egress.echoUrl` setting. */
  echoUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export interface EgressProbe {
  ok: boolean;
  /** The address the echo service saw. */
  address: string | null;
  error: string | null;
  elapsedMs: number;
}

export interface EgressTestResult {
  echoUrl: string;
  egress: string;
  direct: EgressProbe;
  proxied: EgressProbe;
  /** Both answered and the echo saw the same address: the proxy does not hide this machine. */
  sameAddress: boolean;
}

export const egressMethods = {
  'egress.test': method(EgressTestInput, { slow: true }).returns<EgressTestResult>(),
};
