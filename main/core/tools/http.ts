import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { undici } from '../util/undici.ts';
import { OPEN_GATE, ToolError, type HostGate } from './types.ts';
import { classifyError, isAbort, statusErrorKind, ToolAbortError } from './errors.ts';
import { isSecretName } from '../util/secret-names.ts';
import type { ToolEgress } from '../egress/egress.ts';
import { closeDispatchers, dispatcherFor } from '../egress/dispatcher.ts';
import { asUntrustedRefusal, assertReachable } from '../egress/untrusted.ts';
import { proxyUnreachableCode } from '../egress/errors.ts';
import { parseRetryAfter } from '../util/retry.ts';

/**
 * The one HTTP client of the tools: pooled keep-alive connections (undici
 * Agent), a timeout, redirects only when asked, per-host admission through the
 * executor's gate, a body size cap and the SHA-256 of the raw bytes as evidence.
 * Every request names its egress (SPEC §3.11): there is no default, so no
 * call site can connect directly by forgetting it.
 */

export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequestOptions {
  url: string;
  method?: HttpMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Applies to waiting for headers and to each pause while reading the body. */
  timeoutMs?: number;
  maxBytes?: number;
  /** 0 (default): a redirect is returned as the response, as site checks need. */
  maxRedirects?: number;
  signal: AbortSignal;
  gate?: HostGate;
  /** Accept self-signed or expired certificates (OSINT targets often have them). */
  insecureTls?: boolean;
  /**
   * The request carries a credential (in a header, the query or the body):
   * a redirect from https to http is refused, and so is a cross-origin 307/308 that would resend the body.
   */
  credentialed?: boolean;
  /** Headers holding a credential beyond those the redaction rule names (e.g. a custom header with `{credential}`). */
  credentialHeaders?: string[];
  /** Direct or through a proxy: the run's `ctx.egress`. */
  egress: ToolEgress;
}

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

export interface HttpResponse {
  /** The URL first asked for. */
  url: string;
  /** The URL of the response returned (after followed redirects). */
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body was longer than maxBytes; body and sha256 cover the first maxBytes. */
  truncated: boolean;
  sha256: string;
  redirects: RedirectHop[];
  elapsedMs: number;
  /** Seconds or HTTP date from Retry-After, as ms from now. */
  retryAfterMs?: number;
  text(): string;
}

/** Close pooled connections (tests, shutdown). The next request opens a new pool. */
export async function closeHttpAgents(): Promise<void> {
  await closeDispatchers();
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Read the body up to maxBytes (stream events: cheaper per response than an async iterator). */
function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<{ buf: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ buf: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), truncated });
    };
    body.on('data', (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        finish(true);
        body.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    body.once('end', () => finish(false));
    body.once('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

function parseUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw ToolError.permanent(`not a valid URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw ToolError.permanent(`only http and https URLs are supported, got ${u.protocol}`);
  return u;
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** One HTTP exchange (plus followed redirects when asked). Network failures throw ToolError; any status is returned. */
export async function httpRequest(opts: HttpRequestOptions): Promise<HttpResponse> {
  const gate = opts.gate ?? OPEN_GATE;
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const started = performance.now();
  const redirects: RedirectHop[] = [];
  let url = parseUrl(opts.url);
  let method: HttpMethod = opts.method ?? 'GET';
  let body = opts.body;
  const headers: Record<string, string> = { 'user-agent': DEFAULT_USER_AGENT, accept: '*/*', ...lowerKeys(opts.headers) };
  const credentialHeaders = new Set((opts.credentialHeaders ?? []).map((k) => k.toLowerCase()));
  const isCredentialHeader = (k: string) => isSecretName(k) || credentialHeaders.has(k);
  const credentialed = Boolean(opts.credentialed) || Object.keys(headers).some(isCredentialHeader);

  for (;;) {
    if (opts.signal.aborted) throw new ToolAbortError(opts.signal.reason);
    const host = url.host;
    // Every hop, redirects included: an untrusted run may not be bounced to 127.0.0.1 either.
    assertReachable(opts.egress, url.hostname);
    await gate.acquire(host, opts.signal);
    let res: Dispatcher.ResponseData;
    let buf: Buffer;
    let truncated: boolean;
    try {
      res = await undici().request(url, {
        dispatcher: dispatcherFor(opts.egress, Boolean(opts.insecureTls)),
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        signal: opts.signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      ({ buf, truncated } = method === 'HEAD' ? (await res.body.dump(), { buf: Buffer.alloc(0), truncated: false }) : await readCapped(res.body, maxBytes));
    } catch (e) {
      if (opts.signal.aborted || isAbort(e)) throw new ToolAbortError(opts.signal.reason ?? e);
      const refused = asUntrustedRefusal(e);
      if (refused) {
        gate.report(host, { ok: true });
        throw refused;
      }
      let err = classifyError(e, host);
      // Through a proxy, say so: "ECONNREFUSED" alone reads as if the site refused.
      if (opts.egress.config.mode !== 'direct') {
        const down = proxyUnreachableCode(e, opts.egress);
        const message = down
          ? `the proxy ${opts.egress.label} could not be reached (${down}); nothing was sent to ${host} directly`
          : `${err.message} (via ${opts.egress.label})`;
        err = new ToolError(err.kind, message, { host, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, cause: e });
      }
      gate.report(host, { ok: false, transient: err.kind === 'transient' });
      throw err;
    }
    const status = res.statusCode;
    const h = flatHeaders(res.headers);
    const retryAfterMs = status === 429 || status === 503 ? (parseRetryAfter(h['retry-after'], Date.now()) ?? undefined) : undefined;
    const failing = status === 429 || status >= 500;
    gate.report(host, { ok: !failing, transient: failing || undefined, retryAfterMs });

    const location = h.location;
    if (REDIRECT.has(status) && location && redirects.length < (opts.maxRedirects ?? 0)) {
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw ToolError.permanent(`redirect to an invalid URL: ${location}`, { host, httpStatus: status });
      }
      redirects.push({ url: url.toString(), status, location: next.toString() });
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      if (next.origin !== url.origin) {
        // Credentials are for the origin they were given to: never another host, port or scheme (SPEC §5).
        if (credentialed && url.protocol === 'https:' && next.protocol === 'http:') {
          throw ToolError.permanent(`refused a redirect from https to http (${next.host}) on a request that carries a credential`, {
            host,
            httpStatus: status,
          });
        }
        if (credentialed && body !== undefined && method !== 'GET' && method !== 'HEAD') {
          throw ToolError.permanent(`refused a ${status} redirect to another origin (${next.host}) that would resend a body carrying a credential`, {
            host,
            httpStatus: status,
          });
        }
        for (const k of Object.keys(headers)) if (isCredentialHeader(k)) delete headers[k];
      }
      url = parseUrl(next.toString());
      continue;
    }

    const sha256 = createHash('sha256').update(buf).digest('hex');
    return {
      url: opts.url,
      finalUrl: url.toString(),
      status,
      headers: h,
      body: buf,
      truncated,
      sha256,
      redirects,
      elapsedMs: Math.round(performance.now() - started),
      retryAfterMs,
      text: () => buf.toString('utf8'),
    };
  }
}

/** Throw the ToolError a non-2xx status means (429/5xx transient, other 4xx permanent). */
export function assertOk(res: HttpResponse, what = 'request'): HttpResponse {
  if (res.status >= 200 && res.status < 300) return res;
  const host = safeHost(res.finalUrl);
  const kind = statusErrorKind(res.status);
  const extra = res.retryAfterMs !== undefined ? `, retry after ${Math.ceil(res.retryAfterMs / 1000)} s` : '';
  throw new ToolError(kind, `${what} to ${host} answered HTTP ${res.status}${extra}`, { httpStatus: res.status, host, retryAfterMs: res.retryAfterMs });
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** A short, printable slice of a body for evidence. */
export function excerpt(text: string, max = 300, around?: string): string {
  let start = 0;
  if (around) {
    const i = text.toLowerCase().indexOf(around.toLowerCase());
    if (i > 0) start = Math.max(0, i - Math.floor((max - around.length) / 2));
  }
  return text
    .slice(start, start + max)
    .replace(/\s+/g, ' ')
    .trim();
}
