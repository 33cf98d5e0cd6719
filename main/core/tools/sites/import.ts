import { z } from 'zod';
import { DossierError } from '../../../../preload/contract/errors.ts';
import type { SiteFormat } from '../../../../preload/contract/tools.ts';
import { SiteEntry, SiteManifest, USERNAME_PLACEHOLDER, type SiteEntryInput } from './manifest.ts';

/**
 * Converters from Sherlock's and Maigret's data.json and WhatsMyName's
 * wmn-data.json into Dossier's manifest.
 * Every entry either converts into a valid SiteEntry or is reported with the
 * reason; none is dropped silently.
 */

export interface ConvertResult {
  format: SiteFormat;
  sites: SiteEntry[];
  total: number;
  unsupported: { name: string; reason: string }[];
}

/** The unclaimed username Sherlock and Maigret both use when an entry names none. */
export const DEFAULT_UNCLAIMED = 'noonewouldeverusethis7';

export function detectFormat(doc: unknown): SiteFormat {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new DossierError('invalid_input', 'a site manifest must be a JSON object');
  const o = doc as Record<string, unknown>;
  if (o.format === 'dossier-sites') return 'dossier';
  if (o.sites && typeof o.sites === 'object' && !Array.isArray(o.sites)) return 'maigret';
  if (Array.isArray(o.sites) && o.sites.some((s) => s && typeof s === 'object' && 'uri_check' in (s as object))) return 'whatsmyname';
  const entries = Object.entries(o).filter(([k]) => !k.startsWith('$'));
  if (entries.some(([, v]) => v && typeof v === 'object' && 'errorType' in (v as object))) return 'sherlock';
  throw new DossierError('invalid_input', 'cannot tell the manifest format (expected Dossier, Sherlock or Maigret data.json, or WhatsMyName wmn-data.json); pass --format');
}

function finish(format: SiteFormat, total: number, candidates: { name: string; entry: unknown }[], unsupported: ConvertResult['unsupported']): ConvertResult {
  const sites: SiteEntry[] = [];
  const seen = new Set<string>();
  for (const { name, entry } of candidates) {
    const parsed = SiteEntry.safeParse(entry);
    if (!parsed.success) {
      unsupported.push({ name, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ') });
      continue;
    }
    if (parsed.data.regex) {
      try {
        new RegExp(parsed.data.regex);
      } catch {
        unsupported.push({ name, reason: `regexCheck is not a JavaScript regular expression: ${parsed.data.regex}` });
        continue;
      }
    }
    if (seen.has(parsed.data.name.toLowerCase())) {
      unsupported.push({ name, reason: 'duplicate site name' });
      continue;
    }
    seen.add(parsed.data.name.toLowerCase());
    sites.push(parsed.data);
  }
  return { format, total, sites, unsupported };
}

const asList = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.length > 0);
const asCodes = (v: unknown): number[] | undefined =>
  v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n));

function replaceDeep(v: unknown, from: string, to: string): unknown {
  if (typeof v === 'string') return v.split(from).join(to);
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, from, to));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceDeep(x, from, to)]));
  return v;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT']);

/** Sherlock data.json: `{ "Site": { url, urlMain, urlProbe, errorType, errorMsg, errorCode, errorUrl, regexCheck, request_method, request_payload, headers, username_claimed } }`, `{}` placeholder. */
export function convertSherlock(doc: Record<string, unknown>): ConvertResult {
  const unsupported: ConvertResult['unsupported'] = [];
  const candidates: { name: string; entry: unknown }[] = [];
  const entries = Object.entries(doc).filter(([k]) => !k.startsWith('$'));
  for (const [name, raw] of entries) {
    if (!raw || typeof raw !== 'object') {
      unsupported.push({ name, reason: 'entry is not an object' });
      continue;
    }
    const s = raw as Record<string, unknown>;
    const ph = (v: unknown) => (typeof v === 'string' ? v.split('{}').join('{username}') : undefined);
    const kinds = asList(s.errorType) ?? [];
    const known = kinds.filter((k) => k === 'status_code' || k === 'message' || k === 'response_url');
    if (kinds.length === 0 || known.length !== kinds.length) {
      unsupported.push({ name, reason: `errorType ${JSON.stringify(s.errorType)} is not one of status_code, message, response_url` });
      continue;
    }
    // Older Sherlock files say request_head_only instead of request_method: HEAD.
    const method = typeof s.request_method === 'string' ? s.request_method.toUpperCase() : s.request_head_only === true ? 'HEAD' : 'GET';
    if (!METHODS.has(method)) {
      unsupported.push({ name, reason: `request_method ${method} is not supported` });
      continue;
    }
    const payload = s.request_payload === undefined || s.request_payload === null ? undefined : replaceDeep(s.request_payload, '{}', '{username}');
    const entry: SiteEntryInput = {
      name,
      url: ph(s.url) ?? '',
      urlMain: typeof s.urlMain === 'string' ? s.urlMain : undefined,
      probeUrl: ph(s.urlProbe),
      method: method as SiteEntryInput['method'],
      body: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: s.headers && typeof s.headers === 'object' ? (s.headers as Record<string, string>) : undefined,
      regex: typeof s.regexCheck === 'string' ? s.regexCheck : undefined,
      detect: {
        kinds: known as SiteEntryInput['detect']['kinds'],
        errorCodes: asCodes(s.errorCode),
        errorMessages: asList(s.errorMsg),
        errorUrl: ph(s.errorUrl),
      },
      tags: s.isNSFW === true ? ['nsfw'] : [],
      claimed: typeof s.username_claimed === 'string' ? s.username_claimed : '',
      unclaimed: typeof s.username_unclaimed === 'string' ? s.username_unclaimed : DEFAULT_UNCLAIMED,
    };
    if (payload !== undefined && !entry.headers?.['Content-Type'] && !entry.headers?.['content-type'] && typeof payload !== 'string') {
      entry.headers = { ...(entry.headers ?? {}), 'content-type': 'application/json' };
    }
    candidates.push({ name, entry });
  }
  return finish('sherlock', entries.length, candidates, unsupported);
}

const MaigretSite = z.record(z.string(), z.unknown());

/** Maigret data.json: `{ sites: { Name: { checkType, url, urlMain, presenseStrs, absenceStrs, errors, engine, usernameClaimed, usernameUnclaimed, disabled, tags, ... } }, engines: {...} }`. */
export function convertMaigret(doc: Record<string, unknown>): ConvertResult {
  const unsupported: ConvertResult['unsupported'] = [];
  const candidates: { name: string; entry: unknown }[] = [];
  const sites = (doc.sites ?? {}) as Record<string, unknown>;
  const engines = (doc.engines ?? {}) as Record<string, { site?: Record<string, unknown> }>;
  const names = Object.keys(sites);
  for (const name of names) {
    const own = MaigretSite.safeParse(sites[name]);
    if (!own.success) {
      unsupported.push({ name, reason: 'entry is not an object' });
      continue;
    }
    let s: Record<string, unknown> = own.data;
    if (typeof s.engine === 'string') {
      const engine = engines[s.engine];
      if (!engine?.site) {
        unsupported.push({ name, reason: `engine "${s.engine}" is not defined in the file` });
        continue;
      }
      s = { ...engine.site, ...s };
    }
    if (typeof s.type === 'string' && s.type !== 'username') {
      unsupported.push({ name, reason: `checks ${s.type} identifiers, not usernames` });
      continue;
    }
    const urlMain = typeof s.urlMain === 'string' ? s.urlMain.replace(/\/$/, '') : '';
    const urlSubpath = typeof s.urlSubpath === 'string' ? s.urlSubpath : '';
    const fill = (v: unknown) =>
      typeof v === 'string' ? v.split('{urlMain}').join(urlMain).split('{urlSubpath}').join(urlSubpath) : undefined;
    const checkType = s.checkType;
    const presence = asList(s.presenseStrs);
    const absence = asList(s.absenceStrs);
    let detect: SiteEntryInput['detect'];
    if (checkType === 'status_code') detect = { kinds: ['status_code'] };
    else if (checkType === 'response_url') detect = { kinds: ['response_url'], errorUrl: fill(s.errorUrl) };
    else if (checkType === 'message') {
      if (!presence?.length && !absence?.length) {
        unsupported.push({ name, reason: 'checkType "message" without presenseStrs or absenceStrs' });
        continue;
      }
      detect = { kinds: ['strings'], presence, absence };
    } else {
      unsupported.push({ name, reason: `checkType ${JSON.stringify(checkType)} is not one of status_code, message, response_url` });
      continue;
    }
    const errors = s.errors && typeof s.errors === 'object' ? Object.fromEntries(Object.entries(s.errors as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : undefined;
    const entry: SiteEntryInput = {
      name,
      url: fill(s.url) ?? '',
      urlMain: urlMain || undefined,
      probeUrl: fill(s.urlProbe),
      method: s.requestHeadOnly === true ? 'HEAD' : 'GET',
      headers: s.headers && typeof s.headers === 'object' ? (s.headers as Record<string, string>) : undefined,
      regex: typeof s.regexCheck === 'string' ? s.regexCheck : undefined,
      detect,
      errors,
      tags: asList(s.tags) ?? [],
      claimed: typeof s.usernameClaimed === 'string' ? s.usernameClaimed : '',
      unclaimed: typeof s.usernameUnclaimed === 'string' ? s.usernameUnclaimed : DEFAULT_UNCLAIMED,
      disabled: s.disabled === true,
    };
    candidates.push({ name, entry });
  }
  return finish('maigret', names.length, candidates, unsupported);
}

const WMN_PLACEHOLDER = '{account}';
const regexEscape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * WhatsMyName wmn-data.json: `{ categories, sites: [{ name, uri_check, uri_pretty?, post_body?, headers?, e_code, e_string,
 * m_code, m_string, known, cat, valid?, strip_bad_char? }] }`. An account exists when the answer has e_code and
 * contains e_string, is missing when it has m_code and contains m_string, and anything else cannot be told (unknown),
 * as WhatsMyName itself reads it: the `signatures` detection kind.
 */
export function convertWhatsMyName(doc: Record<string, unknown>): ConvertResult {
  const unsupported: ConvertResult['unsupported'] = [];
  const candidates: { name: string; entry: unknown }[] = [];
  const list = Array.isArray(doc.sites) ? (doc.sites as unknown[]) : [];
  list.forEach((raw, i) => {
    const s = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
    const name = typeof s?.name === 'string' && s.name.trim() ? s.name.trim() : `#${i + 1}`;
    if (!s) return unsupported.push({ name, reason: 'entry is not an object' });
    const ph = (v: unknown) => (typeof v === 'string' ? v.split(WMN_PLACEHOLDER).join(USERNAME_PLACEHOLDER) : undefined);
    const check = ph(s.uri_check);
    if (!check) return unsupported.push({ name, reason: 'no uri_check' });
    const pretty = ph(s.uri_pretty);
    const url = pretty ?? check;
    if (!url.includes(USERNAME_PLACEHOLDER)) return unsupported.push({ name, reason: `neither uri_pretty nor uri_check contains ${WMN_PLACEHOLDER}, so there is no profile URL` });
    const code = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : undefined);
    const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
    const exists = { code: code(s.e_code), string: text(s.e_string) };
    const missing = { code: code(s.m_code), string: text(s.m_string) };
    if (exists.code === undefined && exists.string === undefined) return unsupported.push({ name, reason: 'no e_code or e_string: an existing account cannot be recognised' });
    if (missing.code === undefined && missing.string === undefined) return unsupported.push({ name, reason: 'no m_code or m_string: a missing account cannot be recognised' });
    const known = asList(s.known) ?? [];
    if (known.length === 0) return unsupported.push({ name, reason: 'no known username to check the entry with' });
    const body = ph(s.post_body);
    const cat = typeof s.cat === 'string' && s.cat.trim() ? s.cat.trim() : undefined;
    // WhatsMyName strips these characters from the account before asking; Dossier asks as typed, so such usernames are refused instead.
    const strip = typeof s.strip_bad_char === 'string' && s.strip_bad_char ? s.strip_bad_char : undefined;
    const entry: SiteEntryInput = {
      name,
      url,
      probeUrl: pretty && pretty !== check ? check : undefined,
      method: body !== undefined ? 'POST' : 'GET',
      body,
      headers: s.headers && typeof s.headers === 'object' && !Array.isArray(s.headers) ? Object.fromEntries(Object.entries(s.headers as Record<string, unknown>).map(([k, v]) => [k, String(v)])) : undefined,
      regex: strip ? `^[^${[...strip].map(regexEscape).join('')}]+$` : undefined,
      detect: { kinds: ['signatures'], exists: strip0(exists), missing: strip0(missing) },
      tags: cat ? (/nsfw/i.test(cat) ? [cat, 'nsfw'] : [cat]) : [],
      claimed: known[0]!,
      unclaimed: known.includes(DEFAULT_UNCLAIMED) ? `${DEFAULT_UNCLAIMED}2` : DEFAULT_UNCLAIMED,
      disabled: s.valid === false,
    };
    candidates.push({ name, entry });
  });
  return finish('whatsmyname', list.length, candidates, unsupported);
}

function strip0(sig: { code?: number; string?: string }): { code?: number; string?: string } {
  return Object.fromEntries(Object.entries(sig).filter(([, v]) => v !== undefined));
}

/** A Dossier manifest, validated entry by entry so one bad site does not reject the file. */
export function convertDossier(doc: Record<string, unknown>): ConvertResult {
  if (doc.format !== 'dossier-sites' || !Array.isArray(doc.sites)) {
    throw new DossierError('invalid_input', 'not a Dossier site manifest (format "dossier-sites" with a sites array)');
  }
  const list = doc.sites as unknown[];
  return finish(
    'dossier',
    list.length,
    list.map((entry, i) => ({ name: (entry as { name?: string })?.name ?? `#${i + 1}`, entry })),
    [],
  );
}

export function convertManifest(text: string, format?: SiteFormat): ConvertResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DossierError('invalid_input', `the file is not JSON: ${(e as Error).message}`);
  }
  const f = format ?? detectFormat(doc);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new DossierError('invalid_input', 'a site manifest must be a JSON object');
  const o = doc as Record<string, unknown>;
  const res = f === 'sherlock' ? convertSherlock(o) : f === 'maigret' ? convertMaigret(o) : f === 'whatsmyname' ? convertWhatsMyName(o) : convertDossier(o);
  if (res.sites.length === 0) {
    const why = res.unsupported.slice(0, 3).map((u) => `${u.name}: ${u.reason}`).join('; ');
    throw new DossierError('invalid_input', `no usable site in the ${f} file${why ? ` (${why})` : ''}`, { unsupported: res.unsupported.slice(0, 200) });
  }
  return res;
}

/** The manifest to store: the imported sites alone (replace), or laid over the current ones by name (merge). */
export function buildManifest(res: ConvertResult, mode: 'replace' | 'merge', current: SiteManifest | null, today: string): SiteManifest {
  let sites = res.sites;
  if (mode === 'merge' && current) {
    const byName = new Map(current.sites.map((s) => [s.name.toLowerCase(), s]));
    for (const s of res.sites) byName.set(s.name.toLowerCase(), s);
    sites = [...byName.values()];
  }
  return SiteManifest.parse({
    format: 'dossier-sites',
    version: 1,
    written: today,
    description: `imported from a ${res.format} manifest on ${today}${mode === 'merge' ? ' and merged with the previous one' : ''}`,
    sites,
  });
}
