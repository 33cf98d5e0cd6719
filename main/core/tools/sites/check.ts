import type { HostGate } from '../types.ts';
import { ToolError } from '../types.ts';
import { excerpt, httpRequest, safeHost, type HttpResponse } from '../http.ts';
import { isAbort } from '../errors.ts';
import type { ToolEgress } from '../../egress/egress.ts';
import { USERNAME_PLACEHOLDER, type SiteEntry } from './manifest.ts';
import { detectWaf } from './waf.ts';

export const SITE_STATUSES = ['claimed', 'available', 'unknown', 'waf', 'illegal'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

export interface SiteCheck {
  site: string;
  status: SiteStatus;
  /** The profile URL (what a person would open). */
  url: string;
  /** The URL requested. */
  probeUrl: string;
  reason: string;
  httpStatus?: number;
  /** Set when the check failed in a way worth retrying (network, 429, 5xx). */
  transient?: ToolError;
  response?: Pick<HttpResponse, 'status' | 'finalUrl' | 'sha256' | 'truncated' | 'elapsedMs' | 'headers'> & { excerpt: string; bytes: number; location?: string };
}

export function fillUrl(template: string, username: string): string {
  return template.split(USERNAME_PLACEHOLDER).join(encodeURIComponent(username));
}

function fillBody(template: string, username: string): string {
  return template.split(USERNAME_PLACEHOLDER).join(JSON.stringify(username).slice(1, -1));
}

const regexCache = new Map<string, RegExp>();
function compiled(src: string): RegExp {
  let r = regexCache.get(src);
  if (!r) {
    r = new RegExp(src);
    regexCache.set(src, r);
  }
  return r;
}

export interface CheckOptions {
  signal: AbortSignal;
  egress: ToolEgress;
  gate?: HostGate;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Check one username on one site and say what the response means. Aborts propagate; everything else becomes a status. */
export async function checkSite(site: SiteEntry, username: string, opts: CheckOptions): Promise<SiteCheck> {
  const url = fillUrl(site.url, username);
  const probeUrl = site.probeUrl ? fillUrl(site.probeUrl, username) : url;
  const base = { site: site.name, url, probeUrl };
  if (site.regex && !compiled(site.regex).test(username)) {
    return { ...base, status: 'illegal', reason: `"${username}" cannot be a username on ${site.name} (${site.regex})` };
  }
  let res: HttpResponse;
  try {
    res = await httpRequest({
      url: probeUrl,
      method: site.method,
      headers: site.headers,
      body: site.body ? fillBody(site.body, username) : undefined,
      maxRedirects: site.followRedirects ? 5 : 0,
      signal: opts.signal,
      egress: opts.egress,
      gate: opts.gate,
      timeoutMs: opts.timeoutMs,
      maxBytes: opts.maxBytes,
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    const err = e instanceof ToolError ? e : ToolError.transient(String(e));
    return { ...base, status: 'unknown', reason: err.message, transient: err.kind === 'transient' ? err : undefined };
  }
  const text = res.text();
  const location = res.headers.location;
  const observed = (around?: string) => ({
    status: res.status,
    finalUrl: res.finalUrl,
    sha256: res.sha256,
    truncated: res.truncated,
    elapsedMs: res.elapsedMs,
    headers: pick(res.headers, ['content-type', 'server', 'location', 'retry-after']),
    excerpt: excerpt(text, 300, around),
    bytes: res.body.length,
    location,
  });
  const withResponse = (status: SiteStatus, reason: string, around?: string): SiteCheck => ({
    ...base,
    status,
    reason,
    httpStatus: res.status,
    response: observed(around),
  });

  const waf = detectWaf(res.headers, text);
  if (waf) return withResponse('waf', `${waf} page answered instead of ${site.name}`);
  if (res.status === 429 || res.status >= 500) {
    const wait = res.retryAfterMs !== undefined ? `, retry after ${Math.ceil(res.retryAfterMs / 1000)} s` : '';
    const err = ToolError.transient(`${site.name} answered HTTP ${res.status}${wait}`, {
      httpStatus: res.status,
      host: safeHost(probeUrl),
      retryAfterMs: res.retryAfterMs,
    });
    return { ...withResponse('unknown', err.message), transient: err };
  }
  for (const [needle, why] of Object.entries(site.errors ?? {})) {
    if (text.includes(needle)) return withResponse('unknown', `${site.name}: ${why}`, needle);
  }

  const d = site.detect;
  const ok = res.status >= 200 && res.status < 300;
  for (const kind of d.kinds) {
    switch (kind) {
      case 'status_code':
        if (d.errorCodes?.includes(res.status)) return withResponse('available', `HTTP ${res.status} is a "no such user" status`);
        if (!ok) return withResponse('available', `HTTP ${res.status}`);
        break;
      case 'message': {
        const hit = d.errorMessages!.find((m) => text.includes(m));
        if (hit) return withResponse('available', `page says "${hit}"`, hit);
        break;
      }
      case 'response_url': {
        const errorUrl = d.errorUrl ? fillUrl(d.errorUrl, username) : undefined;
        if (location) return withResponse('available', `redirected to ${new URL(location, probeUrl).toString()}`);
        if (errorUrl && res.finalUrl.startsWith(errorUrl)) return withResponse('available', `ended on ${res.finalUrl}`);
        if (!ok) return withResponse('available', `HTTP ${res.status}`);
        break;
      }
      case 'strings': {
        const absent = d.absence?.find((s) => text.includes(s));
        if (absent) return withResponse('available', `page says "${absent}"`, absent);
        if (d.presence?.length) {
          const present = d.presence.find((s) => text.includes(s));
          if (!present) return withResponse('available', 'none of the profile markers is on the page');
        }
        break;
      }
      case 'signatures': {
        const matches = (sig: { code?: number; string?: string }) => (sig.code === undefined || res.status === sig.code) && (sig.string === undefined || text.includes(sig.string));
        if (matches(d.exists!)) break;
        const m = d.missing!;
        if (matches(m)) return withResponse('available', `HTTP ${res.status}${m.string ? ` and "${m.string}"` : ''}: the missing-account answer`, m.string);
        return withResponse('unknown', `HTTP ${res.status} matches neither the account nor the missing-account answer`);
      }
    }
  }
  const marker = d.presence?.find((s) => text.includes(s)) ?? (d.exists?.string && text.includes(d.exists.string) ? d.exists.string : undefined);
  return withResponse('claimed', marker ? `profile marker "${marker}" found` : `HTTP ${res.status}, no "not found" sign`, marker);
}

function pick(h: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (h[k] !== undefined) out[k] = h[k];
  return out;
}
