import { z } from 'zod';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';
import { excerpt, httpRequest, safeHost } from '../http.ts';
import { statusErrorKind } from '../errors.ts';
import type { BuiltinDeps } from './deps.ts';
import { bool, int } from './params.ts';
import { isDomainName } from './dns-client.ts';
import { fetchCertificate, type CertInfo } from './tls-cert.ts';

const Params = z.object({
  scheme: z.enum(['https', 'http']).default('https').describe('Scheme used when the input is a bare domain'),
  maxRedirects: int(0, 20).default(10).describe('Redirects followed (each is recorded)'),
  certificate: bool.default(true).describe('Read the TLS certificate names of the final https host'),
  timeoutMs: int(100, 120_000).optional().describe('Timeout per request in ms'),
});

function targetUrl(type: string, value: string, scheme: string): string {
  const v = value.trim();
  return type === 'domain' ? `${scheme}://${v.replace(/\.$/, '')}/` : v;
}

function title(html: string): string | null {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!m) return null;
  return m[1]!.replace(/\s+/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim().slice(0, 300) || null;
}

export function httpProbeTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'http.probe',
    title: 'Probe web server',
    description: 'Requests a URL, domain or account (its profile URL) and records the status, page title, server header, redirect chain and the names on its TLS certificate.',
    // An account is the profile a site shows at its URL (username.sites finds them so): probing it is the next pivot.
    accepts: ['url', 'domain', 'account'] as const,
    params: Params,
    hosts: (p, input) => [safeHost(targetUrl(input.type, input.value, p.scheme))],
    rateLimit: { perSecond: 2, burst: 4 },
    egress: 'proxied',
    validateInput(input, p) {
      if (input.type === 'domain' && !isDomainName(input.value.trim())) throw ToolError.permanent(`"${input.value}" is not a domain name`);
      let u: URL;
      try {
        u = new URL(targetUrl(input.type, input.value, p.scheme));
      } catch {
        throw ToolError.permanent(input.type === 'account' ? `account "${input.value}" is not a profile URL, so there is nothing to probe` : `"${input.value}" is not a URL`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw ToolError.permanent(`only http and https URLs can be probed, not ${u.protocol}`);
    },
    async run(input, p, ctx) {
      const url = targetUrl(input.type, input.value, p.scheme);
      const timeoutMs = p.timeoutMs ?? (await deps.settings.get('tools.http.timeoutMs'));
      const res = await httpRequest({ url, maxRedirects: p.maxRedirects, signal: ctx.signal, egress: ctx.egress, gate: ctx.gate, timeoutMs, maxBytes: 512 * 1024, insecureTls: true });
      if (statusErrorKind(res.status) === 'transient' && (res.status === 429 || res.status >= 500)) {
        throw ToolError.transient(`${safeHost(res.finalUrl)} answered HTTP ${res.status}`, { httpStatus: res.status, host: safeHost(res.finalUrl), retryAfterMs: res.retryAfterMs });
      }
      const text = res.text();
      const final = new URL(res.finalUrl);
      let cert: CertInfo | null = null;
      let certError: string | null = null;
      if (p.certificate && final.protocol === 'https:') {
        try {
          cert = await fetchCertificate(final.hostname.replace(/^\[|\]$/g, ''), Number(final.port || 443), timeoutMs, ctx.signal, ctx.egress);
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          certError = (e as Error).message;
        }
      }
      const observedAt = new Date().toISOString();
      const evidence = { httpStatus: res.status, finalUrl: res.finalUrl, sha256: res.sha256, excerpt: excerpt(text, 300), observedAt, tool: 'http.probe', truncated: res.truncated };
      const facts = {
        url,
        finalUrl: res.finalUrl,
        status: res.status,
        title: title(text),
        server: res.headers.server ?? null,
        poweredBy: res.headers['x-powered-by'] ?? null,
        contentType: res.headers['content-type'] ?? null,
        redirects: res.redirects,
        certificate: cert,
        certificateError: certError,
        sha256: res.sha256,
        elapsedMs: res.elapsedMs,
      };
      const entities: ProducedEntity[] = [];
      const links: ProducedLink[] = [];
      const inputHost = input.type === 'domain' ? input.value.trim().toLowerCase().replace(/\.$/, '') : safeHostname(url);
      entities.push({ ref: 'self', type: input.type, value: input.value.trim(), properties: { http: { status: facts.status, title: facts.title, server: facts.server, finalUrl: facts.finalUrl } }, evidence });
      for (const [i, hop] of res.redirects.entries()) {
        const ref = `redirect:${i}`;
        entities.push({ ref, type: 'url', value: hop.location, properties: { status: hop.status, from: hop.url }, evidence: { observedAt, httpStatus: hop.status, finalUrl: hop.location, tool: 'http.probe' } });
        links.push({ source: i === 0 ? 'input' : `redirect:${i - 1}`, target: ref, type: 'redirects_to', properties: { status: hop.status } });
      }
      const finalHost = final.hostname.toLowerCase();
      if (finalHost !== inputHost && isDomainName(finalHost)) {
        entities.push({ ref: 'final-host', type: 'domain', value: finalHost, evidence });
        links.push({ source: 'input', target: 'final-host', type: 'related', properties: { via: 'redirect' } });
      }
      for (const name of cert?.names ?? []) {
        const d = name.replace(/^\*\./, '');
        if (!isDomainName(d)) continue;
        const ref = `san:${d}`;
        if (entities.some((e) => e.ref === ref)) continue;
        entities.push({ ref, type: 'domain', value: d, properties: name.startsWith('*.') ? { wildcard: true } : {}, evidence: { observedAt, tool: 'http.probe', certificate: cert!.fingerprint256, issuer: cert!.issuer } });
        links.push({ source: 'input', target: ref, type: 'certificate_for', properties: { name } });
      }
      const parts = [
        `HTTP ${res.status}`,
        facts.title ? `"${facts.title}"` : null,
        facts.server ? `server ${facts.server}` : null,
        res.redirects.length ? `${res.redirects.length} redirect${res.redirects.length > 1 ? 's' : ''} to ${res.finalUrl}` : null,
        cert ? `certificate for ${cert.names.length ? cert.names.join(', ') : (cert.subject ?? '?')}` : null,
      ].filter(Boolean);
      return { entities, links, summary: parts.join(', '), output: facts };
    },
  });
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
