import type { IncomingHttpHeaders } from 'node:http';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { LiveEndpoint } from './endpoints.ts';
import type { PendingRow } from './log-writer.ts';
import { logHeaders } from './headers.ts';
import { decide, type Decision } from './pipeline.ts';
import { REJECTED_BODY_KEEP } from './browser-guard.ts';
import { redactQueryString } from '../util/secret-names.ts';

/**
 * The steps every inbound request takes before it is logged, shared by the local
 * receiver and the team channel consumer, so a request from a channel is treated
 * exactly as if it had hit /hooks/<slug> here.
 */

export interface Arrival {
  endpoint: LiveEndpoint | null;
  slug: string | null;
  method: string;
  path: string;
  /** The raw query string (without `?`); redacted here. */
  query: string;
  /** Flat [name, value, name, value, ...] as Node's rawHeaders. */
  rawHeaders: string[];
  headers: IncomingHttpHeaders;
  sourceIp: string | null;
  receivedAt: number;
  t0: number;
}

/** The row as it will be logged, before its body is read and judged. */
export function baseRow(a: Arrival, secrets: SecretBox): PendingRow {
  const logged = logHeaders(a.rawHeaders, a.endpoint?.signatureHeaders ?? [], secrets);
  return {
    endpointId: a.endpoint?.id ?? null,
    slug: a.slug,
    provider: a.endpoint?.provider ?? null,
    receivedAt: a.receivedAt,
    t0: a.t0,
    method: a.method,
    path: a.path,
    // `?token=` style secrets never reach the log; nothing downstream needs them (forwarding sends to its own URL).
    query: redactQueryString(a.query),
    headers: logged.json,
    sealedHeaders: logged.sealed,
    body: null,
    sourceIp: a.sourceIp,
    userAgent: a.headers['user-agent'] ?? null,
    contentType: a.headers['content-type'] ?? null,
    size: 0,
    status: 0,
    verification: 'skipped',
    error: null,
    deliveryId: null,
    eventType: null,
    replayOf: null,
    accepted: false,
    jobs: [],
    event: false,
  };
}

export function keptOfRejected(body: Buffer | null): Buffer | null {
  return body && body.length > REJECTED_BODY_KEEP ? Buffer.from(body.subarray(0, REJECTED_BODY_KEEP)) : body;
}

/** Mark a row refused before verification (browser, size, method, unknown endpoint); only 4 KiB of its body are kept. */
export function rejectRow(row: PendingRow, status: number, code: string, message: string): void {
  row.status = status;
  row.error = `${code}: ${message}`;
  row.body = keptOfRejected(row.body);
}

/** Why a request with its body in hand is refused before verification, or null: the receiver's order of checks. */
export function preCheck(a: Arrival, browser: string | null, size: number, limit: number): { status: number; code: string; message: string } | null {
  if (browser) return { status: 403, code: 'browser_request', message: `${browser} is refused: webhook senders never send one, web pages do` };
  if (size > limit) return { status: 413, code: 'payload_too_large', message: `body exceeds the limit of ${limit} bytes` };
  if (a.method !== 'POST') return { status: 405, code: 'method_not_allowed', message: `${a.method} is not allowed; send POST` };
  const ep = a.endpoint;
  if (!ep || !ep.active) {
    const why = !a.slug
      ? `no relay endpoint at ${a.path}; endpoints live at /hooks/<slug>`
      : !ep
        ? `unknown relay endpoint "${a.slug}"`
        : `relay endpoint "${a.slug}" is inactive`;
    return { status: 404, code: 'not_found', message: why };
  }
  return null;
}

/** Verify by the endpoint's provider and classify; the row carries the outcome to the log writer. */
export function decideRow(row: PendingRow, ep: LiveEndpoint, headers: IncomingHttpHeaders, body: Buffer, now: number): Decision {
  const d = decide(ep, headers, body, now);
  row.status = d.status;
  row.verification = d.verification;
  row.error = d.error;
  row.deliveryId = d.deliveryId;
  row.eventType = d.eventType;
  row.accepted = d.accepted;
  row.jobs = d.jobs;
  row.event = d.event;
  if (!d.accepted) row.body = keptOfRejected(row.body);
  return d;
}
