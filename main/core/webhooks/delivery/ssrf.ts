import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Agent, buildConnector } from 'undici';
import { undici } from '../../util/undici.ts';

/**
 * SSRF guard, storage independent. A webhook URL is typed by a user but its
 * DNS answer is controlled by whoever owns the name, and can change between
 * a check and the connect (rebinding). So the check runs inside the connect:
 * every address the name resolves to is vetted, and IP literals are vetted
 * before a socket exists.
 */

export const SSRF_ERROR_CODE = 'ssrf_blocked';

export class SsrfBlockedError extends Error {
  readonly code = SSRF_ERROR_CODE;
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      `refused to connect to ${host}${host === address ? '' : ` (${address})`}: ${range} address; enable "allow private network" for this webhook to deliver there`,
    );
    this.name = 'SsrfBlockedError';
  }
}

/** Why an address is not a public unicast destination, or null when it is. */
export function blockedRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'unparseable';
  }
  if (ip.kind() === 'ipv4') {
    const range = (ip as ipaddr.IPv4).range();
    return range === 'unicast' ? null : `IPv4 ${range}`;
  }
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  const p = v6.parts;
  const v4At = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const embedded = (v4: ipaddr.IPv4, label: string): string | null => {
    const r = v4.range();
    return r === 'unicast' ? null : `${label} of IPv4 ${r}`;
  };
  // Forms that carry an IPv4 address reach that address: judge the IPv4 one.
  if (range === 'ipv4Mapped' || range === 'rfc6145') return embedded(v4At(p[6]!, p[7]!), 'IPv4-mapped IPv6');
  if (range === 'rfc6052') {
    // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local networks only.
    if (p[2] === 1) return 'IPv6 local-use NAT64';
    return embedded(v4At(p[6]!, p[7]!), 'NAT64 IPv6');
  }
  if (range === '6to4') return embedded(v4At(p[1]!, p[2]!), '6to4 IPv6');
  // ::a.b.c.d (deprecated IPv4-compatible) and the rest of ::/96.
  if (p.slice(0, 6).every((x) => x === 0)) return range === 'loopback' ? 'IPv6 loopback' : 'IPv6 IPv4-compatible/unspecified';
  return range === 'unicast' ? null : `IPv6 ${range}`;
}

/**
 * Subnets an operator allows despite the guard (the sync server's allow-list,
 * e.g. ["10.20.0.0/16"]). Parsed once; an address inside one is not refused.
 */
export type AllowList = [ipaddr.IPv4 | ipaddr.IPv6, number][];

export function parseAllowList(cidrs: readonly string[]): AllowList {
  return cidrs.map((c) => {
    try {
      return ipaddr.parseCIDR(c);
    } catch {
      throw new Error(`"${c}" is not a CIDR subnet (e.g. 10.20.0.0/16 or fd00::/8)`);
    }
  });
}

function allowed(address: string, allow: AllowList): boolean {
  if (allow.length === 0) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return allow.some(([net, bits]) => net.kind() === ip.kind() && ip.match([net, bits] as never));
}

/** blockedRange, minus what the allow-list lets through. */
export function refusal(address: string, allow: AllowList = []): string | null {
  const range = blockedRange(address);
  return range && !allowed(address, allow) ? range : null;
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));

/** A net `lookup` that refuses the name when any of its answers is not public. */
export function guardedLookup(resolver: Resolver = systemResolver, allow: AllowList = []): LookupFunction {
  return (hostname, options, callback) => {
    const cb = callback as (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
    resolver(hostname).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        for (const a of all) {
          const range = refusal(a.address, allow);
          if (range) return cb(new SsrfBlockedError(hostname, a.address, range), options.all ? [] : '', 0);
        }
        if (wanted.length === 0) {
          const e: NodeJS.ErrnoException = new Error(`${hostname} has no address`);
          e.code = 'ENOTFOUND';
          return cb(e, options.all ? [] : '', 0);
        }
        if (options.all) cb(null, wanted);
        else cb(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, options.all ? [] : '', 0),
    );
  };
}

/** Vets IP-literal hosts (which skip DNS) before handing over to undici's connector with the guarded lookup. */
export function guardedConnector(
  resolver: Resolver = systemResolver,
  options: buildConnector.BuildOptions = {},
  allow: AllowList = [],
): buildConnector.connector {
  const base = undici().buildConnector({ ...options, lookup: guardedLookup(resolver, allow) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.startsWith('[') ? opts.hostname.slice(1, -1) : opts.hostname;
    if (isIP(host)) {
      const range = refusal(host, allow);
      if (range) {
        callback(new SsrfBlockedError(host, host, range), null);
        return;
      }
    }
    base(opts, callback);
  };
}

export interface AgentOptions {
  resolver?: Resolver;
  /** CIDR subnets let through despite the guard (operator allow-list). */
  allow?: readonly string[];
  /** Keep-alive sockets per origin. */
  connections?: number;
}

/** The dispatcher for webhooks without allow_private_network. */
export function guardedAgent(o: AgentOptions = {}): Agent {
  return new (undici().Agent)({
    connect: guardedConnector(o.resolver, {}, parseAllowList(o.allow ?? [])),
    connections: o.connections ?? 64,
    keepAliveTimeout: 10_000,
  });
}

/** The dispatcher for webhooks that may reach private addresses. */
export function openAgent(o: AgentOptions = {}): Agent {
  return new (undici().Agent)({ connections: o.connections ?? 64, keepAliveTimeout: 10_000 });
}

/** Find an SsrfBlockedError anywhere in an error's cause chain (undici wraps connect errors). */
export function findSsrfError(e: unknown): SsrfBlockedError | null {
  for (let cur = e, i = 0; cur && i < 6; cur = (cur as { cause?: unknown }).cause, i++) {
    if (cur instanceof SsrfBlockedError) return cur;
    if ((cur as { code?: unknown }).code === SSRF_ERROR_CODE && cur instanceof Error) return cur as SsrfBlockedError;
  }
  return null;
}
