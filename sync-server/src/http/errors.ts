import type { ErrorRequestHandler, Response } from 'express';
import { z } from 'zod';
import { SYNC_STATUS_FOR_ERROR, type SyncErrorCode } from '../../../main/core/sync/wire.ts';

/** An answer other than success: `{"error":{"code","message"}}` plus any extra top-level fields (e.g. `current` on 409). */
export class ApiError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function sendError(res: Response, code: SyncErrorCode, message: string, extra?: Record<string, unknown>): void {
  res.status(SYNC_STATUS_FOR_ERROR[code]).json({ error: { code, message }, ...extra });
}

/** zod-parse a request part, or 400 invalid_input naming the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const msg = r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new ApiError('invalid_input', msg);
  }
  return r.data;
}

export function errorHandler(log: { error(obj: unknown, msg?: string): void }): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err instanceof ApiError) return sendError(res, err.code, err.message, err.extra);
    // body-parser's own errors
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return sendError(res, 'payload_too_large', 'the request body is over the limit of this route');
    if (type === 'entity.parse.failed') return sendError(res, 'invalid_input', 'the request body is not valid JSON');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, 'invalid_input', String((err as Error).message));
    log.error({ err }, 'unhandled error');
    sendError(res, 'internal', 'internal error');
  };
}
