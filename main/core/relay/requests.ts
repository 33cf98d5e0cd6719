import { sql } from 'kysely';
import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { Paged } from '../../../preload/contract/common.ts';
import type {
  ListRelayRequests,
  RelayForwardState,
  RelayRequestDetail,
  RelayRequestSummary,
  RelayVerification,
} from '../../../preload/contract/relay.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { displayHeaders } from './headers.ts';
import type { RelayRequestsTable } from './tables.ts';
import { compileFilter } from '../search/compile.ts';

const PREVIEW = 256 * 1024;
const SUMMARY_COLUMNS = [
  'id',
  'endpoint_id',
  'slug',
  'method',
  'path',
  'received_at',
  'status',
  'latency_ms',
  'size',
  'verification',
  'error',
  'delivery_id',
  'event_type',
  'duplicate_of',
  'replay_of',
  'source_ip',
  'user_agent',
  'content_type',
  'forward_state',
] as const;

type SummaryRow = Omit<Pick<RelayRequestsTable, (typeof SUMMARY_COLUMNS)[number]>, 'id'> & { id: number };

export function toSummary(r: SummaryRow): RelayRequestSummary {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    slug: r.slug,
    method: r.method,
    path: r.path,
    receivedAt: iso(r.received_at),
    status: r.status,
    latencyMs: r.latency_ms,
    size: r.size,
    verification: r.verification as RelayVerification,
    error: r.error,
    deliveryId: r.delivery_id,
    eventType: r.event_type,
    duplicateOf: r.duplicate_of,
    replayOf: r.replay_of,
    sourceIp: r.source_ip,
    userAgent: r.user_agent,
    contentType: r.content_type,
    forwardState: r.forward_state as RelayForwardState | null,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function listRequests(ctx: CoreContext, input: z.output<typeof ListRelayRequests>): Promise<Paged<RelayRequestSummary>> {
  let q = ctx.db.selectFrom('relay_requests');
  if (input.filter) q = q.where(compileFilter('relay_requests', input.filter));
  if (input.slug) q = q.where('slug', '=', input.slug);
  if (input.endpointId) q = q.where('endpoint_id', '=', input.endpointId);
  if (typeof input.status === 'number') q = q.where('status', '=', input.status);
  else if (input.status) {
    const lo = Number(input.status[0]) * 100;
    q = q.where('status', '>=', lo).where('status', '<', lo + 100);
  }
  if (input.verification) q = q.where('verification', '=', input.verification);
  const page = input.beforeId === undefined ? q : q.where('id', '<', input.beforeId);
  const [rows, count] = await Promise.all([
    page.select([...SUMMARY_COLUMNS]).orderBy('id', 'desc').limit(input.limit).offset(input.offset).execute(),
    // The total ignores the cursor: it is the size of the filtered log.
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: (rows as SummaryRow[]).map(toSummary), total: Number(count.n), limit: input.limit, offset: input.offset };
}

export async function getRequest(ctx: CoreContext, id: number): Promise<RelayRequestDetail> {
  const r = await ctx.db.selectFrom('relay_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new DossierError('not_found', `relay request ${id} not found`);
  const [forwards, matches] = await Promise.all([
    ctx.db.selectFrom('relay_forwards').selectAll().where('request_id', '=', id).orderBy('attempt').orderBy('created_at').execute(),
    ctx.db.selectFrom('relay_rule_matches').selectAll().where('request_id', '=', id).orderBy('created_at').execute(),
  ]);
  const body = r.body ?? Buffer.alloc(0);
  let text: string | null = null;
  try {
    text = utf8.decode(body);
  } catch {
    text = null;
  }
  let isJson = false;
  if (text !== null && text.length > 0) {
    try {
      JSON.parse(text);
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  return {
    ...toSummary(r as SummaryRow),
    query: r.query,
    headers: displayHeaders(r.headers),
    bodyBase64: body.toString('base64'),
    bodyText: text === null ? null : text.slice(0, PREVIEW),
    bodyTruncated: text !== null && text.length > PREVIEW,
    isJson,
    forwards: forwards.map((f) => ({
      id: f.id,
      attempt: f.attempt,
      url: f.url,
      status: f.status,
      durationMs: f.duration_ms,
      responseExcerpt: f.response_excerpt,
      error: f.error,
      at: iso(f.created_at),
    })),
    ruleMatches: matches.map((m) => ({
      id: m.id,
      ruleId: m.rule_id,
      ruleName: m.rule_name,
      outcome: m.outcome as 'started',
      batchId: m.batch_id,
      inputs: parseJson<Record<string, string>>(m.inputs, {}),
      error: m.error,
      at: iso(m.created_at),
    })),
  };
}
