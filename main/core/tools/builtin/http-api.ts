import { z } from 'zod';
import { jsonPathProblem, jsonPathQuery } from '../../util/json-path.ts';
import { defineTool, ToolError } from '../types.ts';
import { assertOk, excerpt, httpRequest, safeHost } from '../http.ts';
import { ENTITY_TYPES } from '../../../../preload/contract/entities.ts';
import type { BuiltinDeps } from './deps.ts';
import { int, jsonValue } from './params.ts';
import { checkMappingPaths, EntityCollector, jsonPathValues, Mappings, type Mapping } from './mapping.ts';

/** `{input}` is replaced by the input value (URL-encoded in the URL, JSON-escaped in a JSON body). */
const INPUT = '{input}';
/** Where a header value or body needs the credential: `{credential}`. */
const CREDENTIAL = '{credential}';

const Params = z
  .object({
    url: z.string().min(1).max(4000).describe('URL template, e.g. https://api.example.com/v1/lookup?q={input}'),
    method: z.enum(['GET', 'POST', 'PUT']).default('GET'),
    headers: jsonValue(z.record(z.string(), z.string())).optional().describe('JSON object of headers; {credential} is replaced by the credential'),
    body: z.string().max(100_000).optional().describe('Body template for POST/PUT ({input}, {credential})'),
    credential: z.string().max(100).optional().describe('Name of the vault credential to use'),
    auth: z.enum(['bearer', 'header', 'query', 'basic', 'none']).default('bearer').describe('How the credential is sent'),
    authName: z.string().max(100).optional().describe('Header name (auth=header) or query parameter (auth=query)'),
    records: z.string().max(500).default('$').describe('JSONPath selecting the records in the response'),
    mappings: jsonValue(Mappings).describe('JSON list of {type, from, label?, link?}; from/label are JSONPaths within a record'),
    timeoutMs: int(100, 300_000).optional(),
    maxBytes: int(1024, 64 * 1024 * 1024).default(8 * 1024 * 1024),
  })
  .superRefine((p, ctx) => {
    if (!p.url.startsWith('http://') && !p.url.startsWith('https://')) ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http(s) URL' });
    if ((p.auth === 'header' || p.auth === 'query') && !p.authName) ctx.addIssue({ code: 'custom', path: ['authName'], message: `auth=${p.auth} needs authName` });
    const recordsProblem = jsonPathProblem(p.records);
    if (recordsProblem) ctx.addIssue({ code: 'custom', path: ['records'], message: recordsProblem });
    checkMappingPaths(p.mappings as Mapping[], ctx, 'mappings');
  });
type P = z.output<typeof Params>;

/** The URL as it may be shown: a query credential is replaced, so it never reaches evidence, errors or logs. */
function shown(url: string, p: P): string {
  if (p.auth !== 'query' || !p.authName) return url;
  try {
    const u = new URL(url);
    if (u.searchParams.has(p.authName)) u.searchParams.set(p.authName, '[redacted]');
    return u.toString();
  } catch {
    return safeHost(url);
  }
}

export function httpApiTool(deps: BuiltinDeps) {
  return defineTool({
    name: 'http.api',
    title: 'HTTP JSON API',
    description: 'Calls a JSON API you describe (URL template, credential from the vault) and maps the answer to entities with JSONPath.',
    accepts: ENTITY_TYPES,
    params: Params,
    hosts: (p) => [safeHost(p.url.split(INPUT).join('x'))],
    rateLimit: { perSecond: 2, burst: 4 },
    egress: 'proxied',
    async run(input, p, ctx) {
      const value = input.value.trim();
      const secret = p.credential && p.auth !== 'none' ? await ctx.credential(p.credential) : undefined;
      const withSecret = (s: string) => (secret === undefined ? s : s.split(CREDENTIAL).join(secret));
      let url = p.url.split(INPUT).join(encodeURIComponent(value));
      const headers: Record<string, string> = { accept: 'application/json' };
      for (const [k, v] of Object.entries(p.headers ?? {})) headers[k.toLowerCase()] = withSecret(v.split(INPUT).join(value));
      if (secret !== undefined) {
        if (p.auth === 'bearer') headers.authorization = `Bearer ${secret}`;
        else if (p.auth === 'basic') headers.authorization = `Basic ${Buffer.from(secret.includes(':') ? secret : `${secret}:`).toString('base64')}`;
        else if (p.auth === 'header') headers[p.authName!.toLowerCase()] = secret;
        else if (p.auth === 'query') {
          const u = new URL(url);
          u.searchParams.set(p.authName!, secret);
          url = u.toString();
        }
      }
      let body: string | undefined;
      if (p.body !== undefined) {
        body = withSecret(p.body.split(INPUT).join(JSON.stringify(value).slice(1, -1)));
        headers['content-type'] ??= 'application/json';
      }
      let res;
      try {
        res = await httpRequest({
          url,
          method: p.method,
          headers,
          body,
          signal: ctx.signal,
          egress: ctx.egress,
          gate: ctx.gate,
          maxBytes: p.maxBytes,
          maxRedirects: 3,
          timeoutMs: p.timeoutMs ?? (await deps.settings.get('tools.http.timeoutMs')),
          credentialed: secret !== undefined,
          credentialHeaders: [...Object.entries(p.headers ?? {}).filter(([, v]) => v.includes(CREDENTIAL)).map(([k]) => k), ...(p.auth === 'header' && p.authName ? [p.authName] : [])],
        });
        assertOk(res, 'API request');
      } catch (e) {
        // Messages name the host only; re-create the error so no URL or header with the secret can ride along in `cause`.
        if (e instanceof ToolError) throw new ToolError(e.kind, secret ? e.message.split(secret).join('[redacted]') : e.message, { httpStatus: e.httpStatus, host: e.host, retryAfterMs: e.retryAfterMs });
        throw e;
      }
      if (res.truncated) throw ToolError.permanent(`the answer from ${safeHost(url)} is larger than ${p.maxBytes} bytes`);
      let doc: unknown;
      try {
        doc = JSON.parse(res.text());
      } catch {
        throw ToolError.permanent(`${safeHost(url)} did not answer JSON (${res.headers['content-type'] ?? 'no content type'})`);
      }
      const text = res.text();
      const safeExcerpt = secret ? excerpt(text, 300).split(secret).join('[redacted]') : excerpt(text, 300);
      const collector = new EntityCollector({ observedAt: new Date().toISOString(), httpStatus: res.status, finalUrl: shown(res.finalUrl, p), sha256: res.sha256, excerpt: safeExcerpt, tool: 'http.api' });
      const recs = p.records === '$' ? [doc] : recordsAt(doc, p.records);
      for (const rec of recs) {
        for (const m of p.mappings as Mapping[]) {
          const label = m.label ? jsonPathValues(rec, m.label)[0] : undefined;
          for (const v of jsonPathValues(rec, m.from)) collector.add(m, v, label);
        }
      }
      return {
        entities: collector.entities,
        links: collector.links,
        summary: `${safeHost(url)}: HTTP ${res.status}, ${collector.entities.length} entit${collector.entities.length === 1 ? 'y' : 'ies'} from ${recs.length} record${recs.length === 1 ? '' : 's'}`,
        output: { url: shown(res.finalUrl, p), status: res.status, records: recs.length, sha256: res.sha256 },
      };
    },
  });
}

/** Records may be objects: take the raw matches; a single matched array is the list of records. */
function recordsAt(doc: unknown, path: string): unknown[] {
  const r = jsonPathQuery(path, doc);
  return r.length === 1 && Array.isArray(r[0]) ? (r[0] as unknown[]) : r;
}
