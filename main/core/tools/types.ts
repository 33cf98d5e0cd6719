import type { z } from 'zod';
import type { EntityType, Evidence, LinkType } from '../../../preload/contract/entities.ts';
import type { Logger } from '../log.ts';
import type { Egress } from '../../../preload/contract/egress.ts';
import type { ToolEgress } from '../egress/egress.ts';
import type { ToolErrorCode } from '../../../preload/contract/analytics.ts';

/**
 * The tool contract. A tool is a named transform: it accepts entities of some
 * types and produces entities and links. The batch executor and single runs
 * call tools only through this interface.
 */

/** transient: worth retrying (network error, timeout, 429, 5xx). permanent: fail at once. */
export type ToolErrorKind = 'transient' | 'permanent';

/** An HTTP answer's code by status; otherwise by kind. */
function defaultErrorCode(kind: ToolErrorKind, status: number | undefined): ToolErrorCode {
  if (status !== undefined) return status === 429 ? 'rate_limited' : status >= 500 ? 'server_error' : 'client_error';
  return kind === 'transient' ? 'transient' : 'tool_error';
}

export class ToolError extends Error {
  readonly kind: ToolErrorKind;
  /** When the remote asked us to wait (Retry-After), in ms. */
  readonly retryAfterMs?: number;
  readonly httpStatus?: number;
  readonly host?: string;
  /** What analytics count the failure under (not `code`: Node's error codes live there and classifyError reads them). */
  readonly errorCode: ToolErrorCode;
  constructor(
    kind: ToolErrorKind,
    message: string,
    extra: { retryAfterMs?: number; httpStatus?: number; host?: string; cause?: unknown; errorCode?: ToolErrorCode } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'ToolError';
    this.kind = kind;
    this.retryAfterMs = extra.retryAfterMs;
    this.httpStatus = extra.httpStatus;
    this.host = extra.host;
    this.errorCode = extra.errorCode ?? defaultErrorCode(kind, extra.httpStatus);
  }
  static transient(message: string, extra?: ConstructorParameters<typeof ToolError>[2]) {
    return new ToolError('transient', message, extra);
  }
  static permanent(message: string, extra?: ConstructorParameters<typeof ToolError>[2]) {
    return new ToolError('permanent', message, extra);
  }
}

/**
 * Per-host admission: the executor plugs its token buckets and circuit
 * breakers in here; single runs use a gate that admits everything.
 */
export interface HostGate {
  /** Wait until a request to `host` may start; throws ToolError(transient) if the host's circuit is open. */
  acquire(host: string, signal: AbortSignal): Promise<void>;
  /** Tell the gate how the request went, so it can open/close the circuit and honour Retry-After. */
  report(host: string, outcome: { ok: boolean; transient?: boolean; retryAfterMs?: number }): void;
}

export const OPEN_GATE: HostGate = {
  acquire: async () => undefined,
  report: () => undefined,
};

export interface ToolInput {
  type: EntityType;
  value: string;
  /** The entity this input came from, when it is one (links attach to it). */
  entityId?: string;
}

export interface ToolContext {
  signal: AbortSignal;
  investigationId: string;
  runId: string;
  log: Logger;
  gate: HostGate;
  dataDir: string;
  /** Reads a credential from the vault by name; never log the result. */
  credential(name: string): Promise<string>;
  /** How this run reaches the network (SPEC §3.11); every request and DNS query goes through it. */
  egress: ToolEgress;
}

/**
 * How a tool's traffic follows the egress setting.
 * - proxied: every request goes through `ctx.egress` (the HTTP client, DNS-over-HTTPS, TLS tunnels);
 * - environment: an external program is given the proxy in its environment and must honour it;
 * - offline: the tool makes no network connection.
 * A tool that declares none cannot honour a proxy and refuses to run with one (`egress_unsupported`).
 */
export type EgressSupport = 'proxied' | 'environment' | 'offline';

/** An entity a tool produced; `ref` lets links point at it before it has an id. */
export interface ProducedEntity {
  ref: string;
  type: EntityType;
  value: string;
  label?: string;
  properties?: Record<string, unknown>;
  evidence?: Evidence;
}

/** A link between produced entities by ref; the ref `input` means the tool's input entity. */
export interface ProducedLink {
  source: string;
  target: string;
  type: LinkType;
  properties?: Record<string, unknown>;
}

export interface ToolResult {
  entities: ProducedEntity[];
  links: ProducedLink[];
  /** One line for humans: "claimed on 12 of 64 sites". */
  summary: string;
  /** Structured details kept with the run (per-site statuses, DNS answers, ...). JSON-serialisable. */
  output?: unknown;
}

export interface RateLimit {
  /** Sustained requests per second per host. */
  perSecond: number;
  /** Bucket size. */
  burst: number;
}

export interface ToolDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  accepts: readonly EntityType[];
  params: P;
  /** Hosts this run will contact (for rate limits and the UI); may depend on params and input. */
  hosts(params: z.output<P>, input: ToolInput): string[];
  rateLimit: RateLimit;
  egress?: EgressSupport;
  /** Params with which a proxied tool could not honour a proxy (e.g. explicit UDP DNS servers): the reason, else null. */
  egressConflict?(params: z.output<P>, egress: Egress): string | null;
  /**
   * Optional offline check of the input (syntax of a domain, an email...):
   * throw ToolError(permanent). Runs before anything is written or sent.
   */
  validateInput?(input: ToolInput, params: z.output<P>): void;
  run(input: ToolInput, params: z.output<P>, ctx: ToolContext): Promise<ToolResult>;
}

/** Helper so tool modules keep their param types without restating them. */
export function defineTool<P extends z.ZodType>(def: ToolDefinition<P>): ToolDefinition<P> {
  return def;
}
