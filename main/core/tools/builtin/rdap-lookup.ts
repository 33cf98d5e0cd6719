import { isIP } from 'node:net';
import { z } from 'zod';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';
import { assertOk, excerpt, httpRequest, safeHost } from '../http.ts';
import type { BuiltinDeps } from './deps.ts';
import { int } from './params.ts';
import { isDomainName } from './dns-client.ts';

const Params = z.object({
  baseUrl: z.url().optional().describe('RDAP service (default: setting tools.rdap.baseUrl)'),
  timeoutMs: int(100, 120_000).optional().describe('Timeout per request in ms'),
});

/** The parts of an RDAP (RFC 9083) answer this tool reads. */
const VCardEntry = z.tuple([z.string(), z.unknown(), z.string(), z.unknown()]).rest(z.unknown());
interface RdapEntity {
  roles?: string[];
  handle?: string;
  vcardArray?: [string, unknown[]];
  entities?: RdapEntity[];
  publicIds?: { type: string; identifier: string }[];
}
const RdapDoc = z
  .object({
    objectClassName: z.string().optional(),
    handle: z.string().optional(),
    ldhName: z.string().optional(),
    name: z.string().optional(),
    startAddress: z.string().optional(),
    endAddress: z.string().optional(),
    country: z.string().optional(),
    status: z.array(z.string()).optional(),
    events: z.array(z.object({ eventAction: z.string(), eventDate: z.string().optional() }).loose()).optional(),
    nameservers: z.array(z.object({ ldhName: z.string().optional() }).loose()).optional(),
    entities: z.array(z.unknown()).optional(),
  })
  .loose();

function vcard(e: RdapEntity): { fn?: string; org?: string; email?: string } {
  const out: { fn?: string; org?: string; email?: string } = {};
  const items = Array.isArray(e.vcardArray?.[1]) ? e.vcardArray![1] : [];
  for (const raw of items) {
    const p = VCardEntry.safeParse(raw);
    if (!p.success) continue;
    const [name, , , value] = p.data;
    const text = Array.isArray(value) ? value.filter((x) => typeof x === 'string' && x).join(' ') : typeof value === 'string' ? value : '';
    if (!text) continue;
    if (name === 'fn') out.fn ??= text;
    if (name === 'org') out.org ??= text;
    if (name === 'email') out.email ??= text.replace(/^mailto:/i, '');
  }
  return out;
}

function flatten(list: unknown[] | undefined, depth = 0): RdapEntity[] {
  if (!list || depth > 3) return [];
  return list.flatMap((x) => {
    const e = x as RdapEntity;
    return e && typeof e === 'object' ? [e, ...flatten(e.entities, depth + 1)] : [];
  });
}

/** Redacted registries write this instead of a name; it is not an organisation. */
const REDACTED = /redacted|privacy|withheld|not disclosed|data protected/i;

export function rdapLookupTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'rdap.lookup',
    title: 'RDAP (whois) lookup',
    description: 'Asks RDAP, the successor of whois, for the registrar, registrant organisation, dates and name servers of a domain or the network of an IP address.',
    accepts: ['domain', 'ip'] as const,
    params: Params,
    hosts: (p) => [safeHost(p.baseUrl ?? 'https://rdap.org')],
    rateLimit: { perSecond: 1, burst: 3 },
    egress: 'proxied',
    validateInput(input) {
      const v = input.value.trim();
      if (input.type === 'ip' ? !isIP(v) : !isDomainName(v)) throw ToolError.permanent(`"${v}" is not ${input.type === 'ip' ? 'an IP address' : 'a domain name'}`);
    },
    async run(input, p, ctx) {
      const value = input.value.trim().toLowerCase().replace(/\.$/, '');
      const base = (p.baseUrl ?? (await deps.settings.get('tools.rdap.baseUrl'))).replace(/\/$/, '');
      const url = `${base}/${input.type === 'ip' ? 'ip' : 'domain'}/${encodeURIComponent(value)}`;
      const res = await httpRequest({
        url,
        headers: { accept: 'application/rdap+json, application/json' },
        maxRedirects: 5, // rdap.org answers with a redirect to the registry responsible
        signal: ctx.signal,
        egress: ctx.egress,
        gate: ctx.gate,
        timeoutMs: p.timeoutMs ?? (await deps.settings.get('tools.http.timeoutMs')),
      });
      if (res.status === 404) {
        return { entities: [], links: [], summary: `${value}: no RDAP record (not registered, or the registry has no RDAP service)`, output: { found: false, url: res.finalUrl } };
      }
      assertOk(res, 'RDAP request');
      const doc = RdapDoc.parse(JSON.parse(res.text()));
      const observedAt = new Date().toISOString();
      const evidence = { httpStatus: res.status, finalUrl: res.finalUrl, sha256: res.sha256, excerpt: excerpt(res.text(), 300), observedAt, tool: 'rdap.lookup' };

      const dates: Record<string, string> = {};
      for (const e of doc.events ?? []) if (e.eventDate) dates[e.eventAction] ??= e.eventDate;
      const all = flatten(doc.entities);
      const withRole = (role: string) => all.filter((e) => e.roles?.includes(role));
      const registrar = withRole('registrar')[0];
      const registrarName = registrar ? (vcard(registrar).fn ?? vcard(registrar).org) : undefined;
      const registrarIana = registrar?.publicIds?.find((i) => /iana/i.test(i.type))?.identifier;
      const registrant = withRole('registrant')[0];
      const rc = registrant ? vcard(registrant) : {};
      const registrantOrg = [rc.org, rc.fn].find((x) => x && !REDACTED.test(x));
      const nameservers = (doc.nameservers ?? []).map((n) => n.ldhName?.toLowerCase()).filter((n): n is string => Boolean(n));

      const entities: ProducedEntity[] = [];
      const links: ProducedLink[] = [];
      if (registrarName) {
        entities.push({ ref: 'registrar', type: 'organization', value: registrarName, properties: { role: 'registrar', ianaId: registrarIana ?? null }, evidence });
        links.push({ source: 'input', target: 'registrar', type: 'registered_by', properties: { role: 'registrar' } });
      }
      if (registrantOrg) {
        entities.push({ ref: 'registrant', type: 'organization', value: registrantOrg, properties: { role: input.type === 'ip' ? 'network owner' : 'registrant' }, evidence });
        links.push({ source: 'input', target: 'registrant', type: 'registered_by', properties: { role: 'registrant' } });
      }
      if (rc.email && !REDACTED.test(rc.email) && rc.email.includes('@')) {
        entities.push({ ref: 'registrant-email', type: 'email', value: rc.email, evidence });
        links.push({ source: 'input', target: 'registrant-email', type: 'has_email', properties: { role: 'registrant' } });
      }
      for (const ns of nameservers) {
        entities.push({ ref: `ns:${ns}`, type: 'domain', value: ns, evidence });
        links.push({ source: `ns:${ns}`, target: 'input', type: 'ns_for', properties: { source: 'RDAP' } });
      }
      const facts = {
        found: true,
        handle: doc.handle ?? null,
        name: doc.ldhName ?? doc.name ?? null,
        registrar: registrarName ?? null,
        registrarIanaId: registrarIana ?? null,
        registrant: registrantOrg ?? null,
        registered: dates.registration ?? null,
        expires: dates.expiration ?? null,
        updated: dates['last changed'] ?? null,
        status: doc.status ?? [],
        nameservers,
        network: input.type === 'ip' ? { start: doc.startAddress ?? null, end: doc.endAddress ?? null, name: doc.name ?? null, country: doc.country ?? null } : null,
        url: res.finalUrl,
      };
      const selfProps = { rdap: { registrar: facts.registrar, registrant: facts.registrant, registered: facts.registered, expires: facts.expires, status: facts.status } };
      entities.push({ ref: 'self', type: input.type, value, properties: selfProps });
      const parts = [
        facts.registrar ? `registrar ${facts.registrar}` : null,
        facts.registrant ? `registrant ${facts.registrant}` : null,
        facts.registered ? `registered ${facts.registered.slice(0, 10)}` : null,
        facts.expires ? `expires ${facts.expires.slice(0, 10)}` : null,
        nameservers.length ? `${nameservers.length} name servers` : null,
        facts.network?.start ? `network ${facts.network.start}–${facts.network.end}` : null,
      ].filter(Boolean);
      return { entities, links, summary: `${value}: ${parts.join(', ') || 'record without details'}`, output: facts };
    },
  });
}
