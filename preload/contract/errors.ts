/**
 * Typed error codes shared by every face of the core (IPC, HTTP, CLI, tests).
 * One list, so a transport can map codes to statuses without guessing.
 */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'busy',
  'payload_too_large',
  'unavailable',
  'ssrf_blocked',
  'transient',
  'permanent',
  'internal',
  'egress_unsupported',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Shape of an error as it crosses a process or network boundary. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** HTTP status for each code; the bridge, the relay and the sync server use this one table. */
export const HTTP_STATUS_FOR_ERROR: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  busy: 409,
  payload_too_large: 413,
  unavailable: 503,
  ssrf_blocked: 400,
  transient: 502,
  permanent: 422,
  internal: 500,
  egress_unsupported: 422,
};

export class DossierError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DossierError';
    this.code = code;
    this.details = details;
  }
  toJSON(): SerializedError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static is(e: unknown): e is DossierError {
    return e instanceof DossierError;
  }
  static fromSerialized(s: SerializedError): DossierError {
    return new DossierError(s.code, s.message, s.details);
  }
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}
