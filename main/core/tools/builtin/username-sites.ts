import { z } from 'zod';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';
import { checkSite, fillUrl, SITE_STATUSES, type SiteCheck, type SiteStatus } from '../sites/check.ts';
import type { DegradedSite } from '../../site-health/reader.ts';
import type { SiteEntry } from '../sites/manifest.ts';
import { safeHost } from '../http.ts';
import type { BuiltinDeps } from './deps.ts';
import { int, nameList } from './params.ts';

const Params = z.object({
  sites: nameList.optional().describe('Only these sites (comma-separated names); default: every enabled site'),
  tags: nameList.optional().describe('Only sites with one of these tags'),
  concurrency: int(1, 200).optional().describe('Sites checked at once (default: setting tools.sites.concurrency)'),
  perHost: int(1, 100).default(4).describe('Requests at once to one host'),
  timeoutMs: int(100, 300_000).optional().describe('Timeout per request in ms (default: setting tools.http.timeoutMs)'),
});

/** Limits concurrent work per key (host) inside one run. */
class KeyedLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  constructor(private readonly max: number) {}
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if ((this.active.get(key) ?? 0) >= this.max) {
      await new Promise<void>((r) => {
        const q = this.waiting.get(key) ?? [];
        q.push(r);
        this.waiting.set(key, q);
      });
    } else this.active.set(key, (this.active.get(key) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const next = this.waiting.get(key)?.shift();
      if (next) next(); // hand the slot over directly
      else this.active.set(key, (this.active.get(key) ?? 1) - 1);
    }
  }
}

export function usernameSitesTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'username.sites',
    title: 'Username on sites',
    description: 'Checks a username on every site of the site manifest and records the accounts found, with evidence.',
    accepts: ['username'] as const,
    params: Params,
    hosts(p) {
      try {
        return [...new Set(deps.sites.select(p.sites, { tags: p.tags }).map((s) => safeHost(s.probeUrl ?? s.url)))];
      } catch {
        return [];
      }
    },
    rateLimit: { perSecond: 2, burst: 4 },
    egress: 'proxied',
    validateInput(input) {
      const u = input.value.trim().replace(/^@/, '');
      if (!u || u.length > 100 || /[\s/?#]/.test(u)) throw ToolError.permanent(`"${input.value}" is not a username (no spaces, "/", "?" or "#"; at most 100 characters)`);
    },
    async run(input, p, ctx) {
      const username = input.value.trim().replace(/^@/, '');
      let sites: SiteEntry[];
      try {
        sites = deps.sites.select(p.sites, { tags: p.tags });
      } catch (e) {
        throw ToolError.permanent((e as Error).message);
      }
      if (sites.length === 0) throw ToolError.permanent('no site selected (the manifest has no enabled site matching)');
      const concurrency = p.concurrency ?? (await deps.settings.get('tools.sites.concurrency'));
      const timeoutMs = p.timeoutMs ?? (await deps.settings.get('tools.http.timeoutMs'));
      const perHost = new KeyedLimiter(p.perHost);
      // A site the last site check found answering wrong is not asked: whatever it says would be a guess.
      const degraded = deps.siteHealth?.degraded() ?? new Map<string, DegradedSite>();

      const checks: SiteCheck[] = new Array(sites.length);
      let next = 0;
      const worker = async () => {
        while (next < sites.length) {
          const i = next++;
          const site = sites[i]!;
          const bad = degraded.get(site.name.toLowerCase());
          if (bad) {
            checks[i] = degradedCheck(site, username, bad);
            continue;
          }
          checks[i] = await perHost.run(safeHost(site.probeUrl ?? site.url), () =>
            checkSite(site, username, { signal: ctx.signal, egress: ctx.egress, gate: ctx.gate, timeoutMs }),
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, sites.length) }, worker));

      // Nothing could be checked and it may work later (a single-site run hitting 429): let the caller retry.
      const transient = checks.filter((c) => c.transient);
      if (transient.length === checks.length) {
        const first = transient[0]!.transient!;
        const retryAfterMs = Math.max(0, ...transient.map((c) => c.transient!.retryAfterMs ?? 0)) || undefined;
        throw ToolError.transient(checks.length === 1 ? first.message : `every site failed, e.g. ${first.message}`, {
          retryAfterMs,
          httpStatus: first.httpStatus,
          host: first.host,
        });
      }

      const observedAt = new Date().toISOString();
      const entities: ProducedEntity[] = [];
      const links: ProducedLink[] = [];
      for (const c of checks) {
        if (c.status !== 'claimed') continue;
        const ref = `site:${c.site}`;
        const r = c.response!;
        entities.push({
          ref,
          type: 'account',
          value: c.url,
          label: `${c.site}: ${username}`,
          properties: { site: c.site, username, url: c.url, tags: sites.find((s) => s.name === c.site)?.tags ?? [] },
          evidence: {
            httpStatus: r.status,
            finalUrl: r.finalUrl,
            excerpt: r.excerpt,
            sha256: r.sha256,
            observedAt,
            bytes: r.bytes,
            truncated: r.truncated,
            reason: c.reason,
            tool: 'username.sites',
          },
        });
        links.push({ source: 'input', target: ref, type: 'has_account', properties: { site: c.site } });
      }
      const counts = Object.fromEntries(SITE_STATUSES.map((s) => [s, 0])) as Record<SiteStatus, number>;
      for (const c of checks) counts[c.status]++;
      const others = SITE_STATUSES.filter((s) => s !== 'claimed' && counts[s] > 0).map((s) => `${s} ${counts[s]}`);
      return {
        entities,
        links,
        summary: `claimed on ${counts.claimed} of ${checks.length} site${checks.length === 1 ? '' : 's'}${others.length ? ` (${others.join(', ')})` : ''}`,
        output: {
          username,
          counts,
          sites: checks.map((c) => ({
            site: c.site,
            status: c.status,
            url: c.url,
            reason: c.reason,
            httpStatus: c.httpStatus ?? null,
            sha256: c.response?.sha256 ?? null,
            finalUrl: c.response?.finalUrl ?? null,
            retryAfterMs: c.transient?.retryAfterMs ?? null,
            degraded: degraded.has(c.site.toLowerCase()),
          })),
        },
      };
    },
  });
}

/** What username.sites reports for a degraded site: unknown, with the check's reason and date. */
function degradedCheck(site: SiteEntry, username: string, bad: DegradedSite): SiteCheck {
  const url = fillUrl(site.url, username);
  return {
    site: site.name,
    status: 'unknown',
    url,
    probeUrl: site.probeUrl ? fillUrl(site.probeUrl, username) : url,
    reason: `site degraded since ${new Date(bad.since).toISOString().slice(0, 10)}: ${bad.reason}`,
  };
}
