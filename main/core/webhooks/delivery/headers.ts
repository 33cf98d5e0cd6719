import { WEBHOOK_RESERVED_HEADERS } from '../../../../preload/contract/webhooks.ts';
import type { Signatures } from './signing.ts';
import { isSecretName, REDACTED } from '../../util/secret-names.ts';

const RESERVED = new Set<string>(WEBHOOK_RESERVED_HEADERS);

export interface HeaderInput {
  version: string;
  /** Stable across retries and replays: the event id. */
  webhookId: string;
  event: string;
  timestampSec: number;
  signatures: Signatures;
  custom?: Record<string, string>;
}

/**
 * The headers of one delivery attempt (SPEC §3.3). Custom headers go in
 * first and are filtered, so a reserved or signature header is always ours
 * even if bad data slipped past validation.
 */
export function buildHeaders(h: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h.custom ?? {})) {
    const lower = k.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith('proxy-')) continue;
    out[lower] = v;
  }
  out['content-type'] = 'application/json';
  out['user-agent'] = `Dossier-Webhook/${h.version}`;
  out['webhook-id'] = h.webhookId;
  out['webhook-timestamp'] = String(h.timestampSec);
  out['webhook-signature'] = h.signatures.standard;
  out['x-webhook-event'] = h.event;
  out['x-webhook-timestamp'] = new Date(h.timestampSec * 1000).toISOString();
  out['x-webhook-signature'] = h.signatures.github;
  if (h.signatures.githubPrevious) out['x-webhook-signature-previous'] = h.signatures.githubPrevious;
  return out;
}

/** Headers Dossier itself sets that carry nothing secret; every other value of an attempt is a custom header. */
const PLAIN = new Set(['content-type', 'user-agent', 'webhook-id', 'webhook-timestamp', 'x-webhook-event', 'x-webhook-timestamp']);

/**
 * The headers of an attempt as stored: custom header values (sealed at rest,
 * so never copied out in clear) and secret-named ones (the redaction rule:
 * signatures too) are masked.
 */
export function headersForLog(sent: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, PLAIN.has(k.toLowerCase()) && !isSecretName(k) ? v : REDACTED]));
}
