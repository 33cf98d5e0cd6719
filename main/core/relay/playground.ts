import { randomBytes } from 'node:crypto';
import { undici } from '../util/undici.ts';
import type { z } from 'zod';
import type { PlaygroundRequest, PlaygroundResponse, RelayHeader } from '../../../preload/contract/relay.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { provider } from './providers/index.ts';
import { RESPONSE_DEADLINES, deadlineMessage, readBounded } from '../util/bounded-read.ts';

type Input = z.output<typeof PlaygroundRequest>;

const MAX_RESPONSE = 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** The headers to send: the composed ones, then the provider's signature headers (replacing same-named ones). */
export function composeHeaders(input: Input, now = Date.now()): RelayHeader[] {
  const headers = input.headers.map((h) => ({ name: h.name, value: h.value }));
  if (input.sign) {
    const signed = provider(input.sign.provider).sign({
      body: Buffer.from(input.body, 'utf8'),
      secret: input.sign.secret,
      options: input.sign.options,
      now,
      id: 'msg_' + randomBytes(12).toString('hex'),
    });
    for (const [name, value] of Object.entries(signed)) {
      const i = headers.findIndex((h) => h.name.toLowerCase() === name.toLowerCase());
      if (i >= 0) headers.splice(i, 1);
      headers.push({ name, value, mark: 'signature' } as RelayHeader & { mark: 'signature' });
    }
  }
  if (input.body && !headers.some((h) => h.name.toLowerCase() === 'content-type')) {
    headers.push({ name: 'Content-Type', value: looksJson(input.body) ? 'application/json' : 'text/plain; charset=utf-8' });
  }
  return headers;
}

function looksJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** Send a composed (optionally signed) request and report what came back. */
export async function sendPlayground(input: Input, deadlineMs: number = RESPONSE_DEADLINES.playgroundMs): Promise<PlaygroundResponse> {
  const sent = composeHeaders(input);
  const flat = sent.flatMap((h) => [h.name, h.value]);
  const t0 = performance.now();
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    const res = await undici().request(input.url, {
      signal,
      method: input.method,
      headers: flat,
      body: input.method === 'GET' || input.method === 'HEAD' ? undefined : input.body,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    const { bytes: body, truncated } = await readBounded(res.body, MAX_RESPONSE);
    const durationMs = Math.round((performance.now() - t0) * 100) / 100;
    const headers: RelayHeader[] = [];
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) headers.push({ name, value: String(v) });
    }
    return {
      status: res.statusCode,
      durationMs,
      headers,
      body: body.toString('utf8'),
      bodyTruncated: truncated,
      sentHeaders: sent,
    };
  } catch (e) {
    throw new DossierError('unavailable', `request to ${input.url} failed: ${deadlineMessage(e, signal, deadlineMs)}`);
  }
}

/** POSIX shell single-quoting: safe for any byte sequence except NUL. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_\-.,:/@=+%]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The equivalent cURL command (signature computed now, so it verifies while the timestamp is fresh). */
export function toCurl(input: Input, now = Date.now()): string {
  const parts = ['curl'];
  const hasBody = input.body !== '' && input.method !== 'GET' && input.method !== 'HEAD';
  if (input.method !== 'GET' || hasBody) parts.push('-X', input.method);
  parts.push(shellQuote(input.url));
  for (const h of composeHeaders(input, now)) parts.push('-H', shellQuote(`${h.name}: ${h.value}`));
  if (hasBody) parts.push('--data-binary', shellQuote(input.body));
  return parts.join(' ');
}
