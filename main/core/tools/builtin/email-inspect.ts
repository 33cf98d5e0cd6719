import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';
import type { BuiltinDeps } from './deps.ts';
import { bool, int } from './params.ts';
import { dnsEgressConflict, dnsForRun, isDomainName, parseServers, query } from './dns-client.ts';

const Params = z.object({
  checkMx: bool.default(true).describe('Look up the MX records of the domain'),
  servers: z.string().optional().describe('DNS servers (comma-separated IP[:port]); default: setting tools.dns.servers'),
  timeoutMs: int(100, 60_000).default(5000).describe('DNS timeout in ms'),
});

/** Practical address syntax: what mail systems accept, not the whole of RFC 5322 (no quoted local parts). */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export function splitEmail(v: string): { local: string; domain: string } | null {
  const s = v.trim();
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1 || s.length > 254) return null;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL.test(local) || !isDomainName(domain)) return null;
  return { local, domain };
}

let listCache: { file: string; mtimeMs: number; set: Set<string> } | null = null;
/** The bundled disposable-domain list, read once per change of the file. */
export function disposableDomains(file: string): Set<string> {
  const st = statSync(file);
  if (listCache && listCache.file === file && listCache.mtimeMs === st.mtimeMs) return listCache.set;
  const set = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  );
  listCache = { file, mtimeMs: st.mtimeMs, set };
  return set;
}

/** A domain is disposable when it or a parent domain is on the list. */
export function isDisposable(domain: string, list: Set<string>): boolean {
  const parts = domain.split('.');
  for (let i = 0; i < parts.length - 1; i++) if (list.has(parts.slice(i).join('.'))) return true;
  return false;
}

export function emailInspectTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'email.inspect',
    title: 'Inspect e-mail address',
    description: 'Checks the syntax of an address, whether its domain receives mail (MX) and whether it is a disposable-mail domain.',
    accepts: ['email'] as const,
    params: Params,
    hosts: (p) => (p.servers ? parseServers(p.servers) : ['dns']),
    rateLimit: { perSecond: 20, burst: 40 },
    egress: 'proxied',
    egressConflict: dnsEgressConflict,
    validateInput(input) {
      if (!splitEmail(input.value)) throw ToolError.permanent(`"${input.value}" is not a valid e-mail address`);
    },
    async run(input, p, ctx) {
      const { local, domain } = splitEmail(input.value)!;
      const disposable = isDisposable(domain, disposableDomains(deps.disposableDomainsFile));
      let mx: { exchange: string; priority: number }[] | null = null;
      let nxdomain = false;
      let implicitMx = false;
      if (p.checkMx) {
        const { lookups: resolver, dispose } = await dnsForRun(deps, ctx, p.servers, p.timeoutMs);
        try {
          const r = await query(() => resolver.resolveMx(domain), `MX ${domain}`, ctx.signal);
          if (!r.ok) throw r.error;
          mx = r.records.sort((a, b) => a.priority - b.priority);
          nxdomain = Boolean(r.nxdomain);
          // RFC 5321 §5.1: without MX records, mail goes to the domain's own address (implicit MX).
          if (mx.length === 0 && !nxdomain) {
            const a = await query(() => resolver.resolve4(domain), `A ${domain}`, ctx.signal);
            if (!a.ok) throw a.error;
            implicitMx = a.records.length > 0;
          }
        } finally {
          dispose();
        }
      }
      const observedAt = new Date().toISOString();
      const facts = {
        syntax: 'valid',
        local,
        domain,
        disposable,
        hasMx: mx === null ? null : mx.length > 0,
        mx: mx?.map((m) => m.exchange) ?? null,
        /** Whether the domain can receive mail at all: MX records, or an address to use as an implicit MX. */
        acceptsMail: mx === null ? null : mx.length > 0 || implicitMx,
        nxdomain,
      };
      const entities: ProducedEntity[] = [
        { ref: 'self', type: 'email', value: input.value.trim(), properties: { email: facts } },
        { ref: 'domain', type: 'domain', value: domain, properties: { disposableMail: disposable }, evidence: { observedAt, tool: 'email.inspect' } },
        { ref: 'local', type: 'username', value: local, evidence: { observedAt, tool: 'email.inspect', from: 'local part' } },
      ];
      const links: ProducedLink[] = [
        { source: 'input', target: 'domain', type: 'has_domain' },
        { source: 'input', target: 'local', type: 'has_username' },
      ];
      const mxText =
        mx === null ? 'MX not checked'
        : mx.length ? `MX ${mx.map((m) => m.exchange).join(', ')}`
        : nxdomain ? 'domain does not exist'
        : implicitMx ? 'no MX (mail would go to the domain address)'
        : 'no MX, does not receive mail';
      return {
        entities,
        links,
        summary: `${input.value.trim()}: valid syntax, ${mxText}${disposable ? ', disposable domain' : ''}`,
        output: facts,
      };
    },
  });
}
