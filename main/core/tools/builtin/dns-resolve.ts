import { z } from 'zod';
import { isIP } from 'node:net';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';
import type { BuiltinDeps } from './deps.ts';
import { int, nameList } from './params.ts';
import { dnsEgressConflict, dnsForRun, isDomainName, parseServers, query, type DnsOutcome } from './dns-client.ts';

const RECORD_TYPES = ['A', 'AAAA', 'MX', 'NS', 'TXT', 'CNAME'] as const;
type RecordType = (typeof RECORD_TYPES)[number];

const Params = z.object({
  types: nameList
    .pipe(z.array(z.string().transform((s) => s.toUpperCase()).pipe(z.enum(RECORD_TYPES))).min(1))
    .optional()
    .describe('Record types (comma-separated); default A,AAAA,MX,NS,TXT,CNAME'),
  servers: z.string().optional().describe('DNS servers (comma-separated IP[:port]); default: setting tools.dns.servers'),
  timeoutMs: int(100, 60_000).default(5000).describe('Timeout per query in ms'),
});

export function dnsResolveTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'dns.resolve',
    title: 'Resolve DNS',
    description: 'Looks up A, AAAA, MX, NS, TXT and CNAME records of a domain and links the addresses and hosts found.',
    accepts: ['domain'] as const,
    params: Params,
    hosts: (p) => (p.servers ? parseServers(p.servers) : ['dns']),
    rateLimit: { perSecond: 20, burst: 40 },
    egress: 'proxied',
    egressConflict: dnsEgressConflict,
    validateInput(input) {
      if (!isDomainName(input.value.trim())) throw ToolError.permanent(`"${input.value}" is not a domain name`);
    },
    async run(input, p, ctx) {
      const domain = input.value.trim().toLowerCase().replace(/\.$/, '');
      const { lookups: resolver, via, servers, dispose } = await dnsForRun(deps, ctx, p.servers, p.timeoutMs);
      const types = p.types ?? [...RECORD_TYPES];
      try {
        const results = await Promise.all(
          types.map(async (t): Promise<[RecordType, DnsOutcome<unknown>]> => {
            const fn: () => Promise<unknown[]> =
              t === 'A' ? () => resolver.resolve4(domain)
              : t === 'AAAA' ? () => resolver.resolve6(domain)
              : t === 'MX' ? () => resolver.resolveMx(domain)
              : t === 'NS' ? () => resolver.resolveNs(domain)
              : t === 'TXT' ? () => resolver.resolveTxt(domain)
              : () => resolver.resolveCname(domain);
            return [t, await query(fn, `${t} ${domain}`, ctx.signal)];
          }),
        );
        const failed = results.filter(([, r]) => !r.ok) as [RecordType, { ok: false; error: ToolError }][];
        if (failed.length === results.length) {
          const transient = failed.find(([, r]) => r.error.kind === 'transient');
          throw (transient ?? failed[0]!)[1].error;
        }
        const records: Partial<Record<RecordType, unknown[]>> = {};
        for (const [t, r] of results) if (r.ok) records[t] = r.records;
        const nxdomain = results.every(([, r]) => !r.ok || r.nxdomain);

        const observedAt = new Date().toISOString();
        const entities: ProducedEntity[] = [];
        const links: ProducedLink[] = [];
        const add = (type: 'ip' | 'domain', value: string, link: ProducedLink['type'], dir: 'out' | 'in', props: Record<string, unknown>) => {
          const ref = `${type}:${value}`;
          if (!entities.some((e) => e.ref === ref)) {
            entities.push({ ref, type, value, properties: props, evidence: { observedAt, resolver: via, tool: 'dns.resolve' } });
          }
          links.push(dir === 'out' ? { source: 'input', target: ref, type: link, properties: props } : { source: ref, target: 'input', type: link, properties: props });
        };
        for (const ip of (records.A ?? []) as string[]) add('ip', ip, 'resolves_to', 'out', { record: 'A', version: isIP(ip) });
        for (const ip of (records.AAAA ?? []) as string[]) add('ip', ip, 'resolves_to', 'out', { record: 'AAAA', version: isIP(ip) });
        for (const mx of (records.MX ?? []) as { exchange: string; priority: number }[]) {
          if (mx.exchange) add('domain', mx.exchange.toLowerCase(), 'mx_for', 'in', { record: 'MX', priority: mx.priority });
        }
        for (const ns of (records.NS ?? []) as string[]) add('domain', ns.toLowerCase(), 'ns_for', 'in', { record: 'NS' });
        for (const c of (records.CNAME ?? []) as string[]) add('domain', c.toLowerCase(), 'cname_for', 'out', { record: 'CNAME' });
        const txt = ((records.TXT ?? []) as string[][]).map((chunks) => chunks.join(''));
        // TXT records (SPF, site verifications) describe the domain itself.
        entities.push({ ref: 'self', type: 'domain', value: domain, properties: { dns: { txt, checkedAt: observedAt } } });

        const counts = types.map((t) => `${t} ${records[t]?.length ?? '?'}`).join(', ');
        return {
          entities,
          links,
          summary: nxdomain ? `${domain} does not exist (NXDOMAIN)` : `${domain}: ${counts}`,
          output: { domain, servers, resolver: via, nxdomain, records: { ...records, TXT: records.TXT ? txt : undefined }, errors: failed.map(([t, r]) => ({ type: t, error: r.error.message })) },
        };
      } finally {
        dispose();
      }
    },
  });
}
