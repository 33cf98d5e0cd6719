import { ZodError } from 'zod';
import { DossierError } from '../../../preload/contract/errors.ts';
import { ToolError } from './types.ts';

/**
 * Raised when the caller's signal aborted a run. Named `AbortError` like the
 * platform's, so code that checks `name` keeps working.
 */
export class ToolAbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super(reason instanceof Error && reason.message ? `aborted: ${reason.message}` : 'aborted', { cause: reason });
    this.name = 'AbortError';
  }
}

/** True for any abort: ours, the platform's DOMException, undici's. Timeouts are not aborts. */
export function isAbort(e: unknown): boolean {
  if (e instanceof ToolAbortError) return true;
  if (!e || typeof e !== 'object') return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED';
}

/** Socket/DNS level failures worth retrying. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ESERVFAIL',
  'ETIMEOUT',
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function codeOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Transient for 429 and 5xx, permanent for the other 4xx; what a status means for a retry. */
export function statusErrorKind(status: number): 'transient' | 'permanent' {
  return status === 429 || status === 408 || status >= 500 ? 'transient' : 'permanent';
}

/**
 * Turn anything a tool threw into a ToolError: network errors and timeouts are
 * transient; bad input, parse failures and unknown errors are permanent.
 */
export function classifyError(e: unknown, host?: string): ToolError {
  if (e instanceof ToolError) return e;
  if (e instanceof ZodError) {
    return ToolError.permanent(`invalid data: ${e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ` : '') + i.message).join('; ')}`, { cause: e, errorCode: 'invalid_data' });
  }
  if (e instanceof DossierError) {
    const kind = e.code === 'transient' || e.code === 'unavailable' || e.code === 'busy' ? 'transient' : 'permanent';
    return new ToolError(kind, e.message, { cause: e, host });
  }
  if (e instanceof SyntaxError) return ToolError.permanent(`could not parse the response: ${e.message}`, { cause: e, host, errorCode: 'parse_error' });
  if (e && typeof e === 'object' && (e as { name?: unknown }).name === 'TimeoutError') {
    return ToolError.transient(`timed out${host ? ` talking to ${host}` : ''}`, { cause: e, host, errorCode: 'timeout' });
  }
  const code = codeOf(e);
  const msg = e instanceof Error ? e.message : String(e);
  if (code && TRANSIENT_CODES.has(code)) {
    const what = TIMEOUT_CODES.has(code) ? 'timed out' : `network error (${code})`;
    return ToolError.transient(`${what}${host ? ` talking to ${host}` : ''}${msg && !msg.includes(code) ? `: ${msg}` : ''}`, {
      cause: e,
      host,
      errorCode: TIMEOUT_CODES.has(code) ? 'timeout' : 'network',
    });
  }
  if (code === 'ENOTFOUND' || code === 'ENODATA') {
    return ToolError.permanent(`host not found${host ? `: ${host}` : ''}`, { cause: e, host, errorCode: 'dns' });
  }
  return ToolError.permanent(msg || 'tool failed', { cause: e, host });
}
