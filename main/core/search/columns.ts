import { sql, type RawBuilder } from 'kysely';
import type { FilterFieldName, FilterList } from '../../../preload/contract/filter-fields.ts';

export type FilterColumns = { [L in FilterList]: Record<FilterFieldName<L>, RawBuilder<unknown>> };

/**
 * The SQL each whitelisted field maps to, per list, written against the table (and alias) the
 * list's query selects from. Only these fragments ever reach SQL as identifiers; the compiler's
 * types make every field of the contract's whitelist have exactly one.
 */
export const FILTER_COLUMNS: FilterColumns = {
  // investigations.list selects `from investigations as i`
  investigations: {
    name: sql.ref('i.name'),
    description: sql.ref('i.description'),
    status: sql.ref('i.status'),
    tags: sql.ref('i.tags'),
    entityCount: sql`(select count(*) from entities as fe where fe.investigation_id = i.id)`,
    createdAt: sql.ref('i.created_at'),
    updatedAt: sql.ref('i.updated_at'),
  },
  entities: {
    type: sql.ref('entities.type'),
    value: sql.ref('entities.value'),
    label: sql.ref('entities.label'),
    properties: sql.ref('entities.properties'),
    firstSeen: sql.ref('entities.first_seen'),
    lastSeen: sql.ref('entities.last_seen'),
    sourceRunId: sql.ref('entities.source_run_id'),
    httpStatus: sql`json_extract(entities.evidence, '$.httpStatus')`,
    finalUrl: sql`json_extract(entities.evidence, '$.finalUrl')`,
    excerpt: sql`json_extract(entities.evidence, '$.excerpt')`,
  },
  operations: {
    tool: sql.ref('operations.tool'),
    inputType: sql.ref('operations.input_type'),
    inputValue: sql.ref('operations.input_value'),
    status: sql.ref('operations.status'),
    attempts: sql.ref('operations.attempts'),
    depth: sql.ref('operations.depth'),
    durationMs: sql.ref('operations.duration_ms'),
    startedAt: sql.ref('operations.started_at'),
    finishedAt: sql.ref('operations.finished_at'),
    error: sql.ref('operations.error'),
    errorKind: sql.ref('operations.error_kind'),
  },
  deliveries: {
    event: sql.ref('deliveries.event_type'),
    status: sql.ref('deliveries.status'),
    webhookId: sql.ref('deliveries.webhook_id'),
    attempts: sql.ref('deliveries.attempts'),
    statusCode: sql.ref('deliveries.last_status_code'),
    latencyMs: sql.ref('deliveries.last_latency_ms'),
    error: sql.ref('deliveries.last_error'),
    createdAt: sql.ref('deliveries.created_at'),
    updatedAt: sql.ref('deliveries.updated_at'),
  },
  relay_requests: {
    slug: sql.ref('relay_requests.slug'),
    method: sql.ref('relay_requests.method'),
    path: sql.ref('relay_requests.path'),
    status: sql.ref('relay_requests.status'),
    verification: sql.ref('relay_requests.verification'),
    eventType: sql.ref('relay_requests.event_type'),
    latencyMs: sql.ref('relay_requests.latency_ms'),
    size: sql.ref('relay_requests.size'),
    sourceIp: sql.ref('relay_requests.source_ip'),
    userAgent: sql.ref('relay_requests.user_agent'),
    contentType: sql.ref('relay_requests.content_type'),
    forwardState: sql.ref('relay_requests.forward_state'),
    error: sql.ref('relay_requests.error'),
    receivedAt: sql.ref('relay_requests.received_at'),
  },
};
