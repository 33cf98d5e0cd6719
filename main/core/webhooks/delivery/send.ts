import type { Dispatcher } from 'undici';
import { undici } from '../../util/undici.ts';
import { WEBHOOK_RESPONSE_BODY_LIMIT } from '../../../../preload/contract/webhooks.ts';
import { classifyResponse, type Outcome } from './classify.ts';
import { findSsrfError } from './ssrf.ts';
import { deadline } from './deadlines.ts';

export interface AttemptRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  dispatcher: Dispatcher;
}

export interface AttemptResult {
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  responseHeaders: Record<string, string>;
  /** Truncated to WEBHOOK_RESPONSE_BODY_LIMIT characters. */
  responseBody: string | null;
  outcome: Outcome;
}

/** Bytes read from a response at most: enough for the kept characters, never a whole large body. */
const READ_LIMIT = WEBHOOK_RESPONSE_BODY_LIMIT * 4;

/**
 * One POST of one delivery, storage independent. Never throws: every way it
 * can end (answer, timeout, refused address, network error) is an outcome.
 */
export async function sendAttempt(req: AttemptRequest, now: () => number = Date.now): Promise<AttemptResult> {
  const startedAt = now();
  const t0 = performance.now();
  const dl = deadline(req.timeoutMs);
  const signal = dl.signal;
  try {
    const res = await undici().request(req.url, { method: 'POST', body: req.body, headers: req.headers, dispatcher: req.dispatcher, signal });
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytes += chunk.length;
      // Leaving the loop destroys the rest of a large body instead of downloading it.
      if (bytes >= READ_LIMIT) break;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = flattenHeaders(res.headers);
    return {
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      statusCode: res.statusCode,
      responseHeaders: headers,
      responseBody: text.length > WEBHOOK_RESPONSE_BODY_LIMIT ? text.slice(0, WEBHOOK_RESPONSE_BODY_LIMIT) : text,
      outcome: classifyResponse(res.statusCode, res.headers, now()),
    };
  } catch (e) {
    return {
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      statusCode: null,
      responseHeaders: {},
      responseBody: null,
      outcome: failure(e, signal, req.timeoutMs),
    };
  } finally {
    dl.clear();
  }
}

function failure(e: unknown, signal: AbortSignal, timeoutMs: number): Outcome {
  const ssrf = findSsrfError(e);
  if (ssrf) return { kind: 'stop', errorCode: 'ssrf_blocked', error: ssrf.message };
  if (signal.aborted) return { kind: 'retry', errorCode: 'timeout', error: `no complete answer within ${timeoutMs} ms`, retryAfterMs: null };
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  const msg = err.cause?.message ?? err.message ?? String(e);
  return { kind: 'retry', errorCode: 'network', error: code ? `${code}: ${msg}` : msg, retryAfterMs: null };
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
