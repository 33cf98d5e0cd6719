import { undici } from '../util/undici.ts';
import type { CoreContext } from '../context.ts';
import type { RelayForwardAttempt } from '../../../preload/contract/relay.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { HOP_BY_HOP, originalHeaders } from './headers.ts';
import { RESPONSE_DEADLINES, deadlineMessage, readBounded } from '../util/bounded-read.ts';

const EXCERPT = 2000;
const TIMEOUT_MS = 15_000;

export interface StoredRequest {
  id: number;
  method: string;
  headers: string;
  sealed_headers: string | null;
  body: Buffer | null;
}

/** A transient failure (network, 408, 425, 429, 5xx) is worth retrying; other 4xx are not. */
export function isTransient(status: number | null): boolean {
  return status === null || status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Send the logged request to `url` byte-exact (method, end-to-end headers, body) and record the attempt. */
export async function forwardOnce(
  ctx: CoreContext,
  req: StoredRequest,
  url: string,
  attempt: number,
  deadlineMs: number = RESPONSE_DEADLINES.forwardMs,
): Promise<RelayForwardAttempt> {
  const flat: string[] = [];
  for (const [n, v] of originalHeaders(req.headers, req.sealed_headers, ctx.secrets)) {
    if (!HOP_BY_HOP.has(n.toLowerCase())) flat.push(n, v);
  }
  flat.push('x-dossier-relay-request', String(req.id));
  const t0 = performance.now();
  let status: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    const res = await undici().request(url, {
      signal,
      method: req.method as 'POST',
      headers: flat,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : (req.body ?? Buffer.alloc(0)),
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    status = res.statusCode;
    excerpt = (await readBounded(res.body, EXCERPT)).bytes.toString('utf8');
    if (status >= 300) error = `target answered ${status}`;
  } catch (e) {
    error = deadlineMessage(e, signal, deadlineMs);
  }
  const durationMs = Math.round((performance.now() - t0) * 100) / 100;
  const row = {
    id: newId('rfw'),
    request_id: req.id,
    attempt,
    url,
    status,
    duration_ms: durationMs,
    response_excerpt: excerpt,
    error,
    created_at: ctx.clock.now(),
  };
  await ctx.db.insertInto('relay_forwards').values(row).execute();
  return { id: row.id, attempt, url, status, durationMs, responseExcerpt: excerpt, error, at: iso(row.created_at) };
}
