import dnsPacket from 'dns-packet';
import { httpRequest } from '../tools/http.ts';
import { ToolError, type HostGate } from '../tools/types.ts';
import type { ToolEgress } from './egress.ts';

/**
 * DNS over HTTPS (RFC 8484, wire format by GET) through the egress: what DNS
 * tools use when a proxy is set, since UDP queries cannot follow a proxy and
 * would tell the local resolver what is being looked up. The methods mirror
 * node:dns's Resolver (answers, and errors carrying its codes) so the DNS
 * tools treat both the same.
 */
export interface DnsLookups {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolveNs(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
  resolveCname(name: string): Promise<string[]>;
}

type Rr = 'A' | 'AAAA' | 'MX' | 'NS' | 'TXT' | 'CNAME';

const dnsError = (code: string, message: string) => Object.assign(new Error(message), { code });

export function dohLookups(opts: { url: string; egress: ToolEgress; signal: AbortSignal; timeoutMs: number; gate?: HostGate }): DnsLookups {
  const ask = async (name: string, type: Rr): Promise<dnsPacket.Answer[]> => {
    const query = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }] });
    const u = new URL(opts.url);
    u.searchParams.set('dns', query.toString('base64url'));
    const res = await httpRequest({
      url: u.toString(),
      headers: { accept: 'application/dns-message' },
      signal: opts.signal,
      egress: opts.egress,
      gate: opts.gate,
      timeoutMs: opts.timeoutMs,
      maxBytes: 64 * 1024,
    });
    if (res.status === 429 || res.status >= 500) throw ToolError.transient(`DNS-over-HTTPS service ${u.host} answered HTTP ${res.status}`, { httpStatus: res.status, host: u.host, retryAfterMs: res.retryAfterMs });
    if (res.status !== 200) throw ToolError.permanent(`DNS-over-HTTPS service ${u.host} answered HTTP ${res.status}`, { httpStatus: res.status, host: u.host });
    let packet: dnsPacket.Packet;
    try {
      packet = dnsPacket.decode(res.body);
    } catch {
      throw ToolError.permanent(`DNS-over-HTTPS service ${u.host} did not answer a DNS message`);
    }
    const rcode = (packet as { rcode?: string }).rcode ?? 'NOERROR';
    if (rcode === 'NXDOMAIN') throw dnsError('ENOTFOUND', `${name} does not exist`);
    if (rcode === 'SERVFAIL') throw dnsError('ESERVFAIL', `${type} ${name}: SERVFAIL`);
    if (rcode === 'REFUSED') throw dnsError('EREFUSED', `${type} ${name}: REFUSED`);
    if (rcode !== 'NOERROR') throw dnsError(rcode, `${type} ${name}: ${rcode}`);
    const answers = (packet.answers ?? []).filter((a) => a.type === type);
    if (answers.length === 0) throw dnsError('ENODATA', `${name} has no ${type} record`);
    return answers;
  };
  const strings = async (name: string, type: 'A' | 'AAAA' | 'NS' | 'CNAME') => (await ask(name, type)).map((a) => String((a as { data: unknown }).data));
  return {
    resolve4: (n) => strings(n, 'A'),
    resolve6: (n) => strings(n, 'AAAA'),
    resolveNs: (n) => strings(n, 'NS'),
    resolveCname: (n) => strings(n, 'CNAME'),
    resolveMx: async (n) =>
      (await ask(n, 'MX')).map((a) => {
        const d = (a as { data: { exchange: string; preference: number } }).data;
        return { exchange: d.exchange, priority: d.preference };
      }),
    resolveTxt: async (n) =>
      (await ask(n, 'TXT')).map((a) => {
        const d = (a as { data: Buffer | string | (Buffer | string)[] }).data;
        return (Array.isArray(d) ? d : [d]).map((x) => (typeof x === 'string' ? x : x.toString('utf8')));
      }),
  };
}
