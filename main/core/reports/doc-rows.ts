import type { InvestigationsTable } from '../db/schema.ts';
import type { ToolRunsTable } from '../tools/tables.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { redactParams } from '../tools/run.ts';
import type { EntityRow, LinkRow } from './rows.ts';
import type { DocEntity, DocInvestigation, DocLink, DocToolRun } from './document.ts';

/** Stored rows as the objects of the investigation document (and of the other formats that show the same facts). */
export function docInvestigation(r: InvestigationsTable): DocInvestigation {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    tags: parseJson<string[]>(r.tags, []),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function docEntity(r: EntityRow): DocEntity {
  return {
    id: r.id,
    type: r.type,
    value: r.value,
    label: r.label,
    notes: r.notes,
    properties: parseJson<Record<string, unknown>>(r.properties, {}),
    evidence: parseJson<DocEntity['evidence']>(r.evidence, null),
    sourceRunId: r.source_run_id,
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
  };
}

export function docLink(r: LinkRow): DocLink {
  return {
    id: r.id,
    sourceId: r.source_id,
    targetId: r.target_id,
    type: r.type,
    properties: parseJson<Record<string, unknown>>(r.properties, {}),
    sourceRunId: r.source_run_id,
    createdAt: iso(r.created_at),
  };
}

export function docToolRun(r: ToolRunsTable): DocToolRun {
  return {
    id: r.id,
    tool: r.tool,
    input: { type: r.input_type as DocToolRun['input']['type'], value: r.input_value, entityId: r.input_entity_id },
    // Stored params are redacted when a run is recorded; redacting again keeps older rows safe too.
    params: redactParams(parseJson<Record<string, unknown>>(r.params, {})) as Record<string, unknown>,
    status: r.status,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    error: r.error,
    errorKind: r.error_kind,
    summary: r.summary,
    output: parseJson<unknown>(r.output, null),
    entityCount: r.entity_count,
    createdCount: r.created_count,
    entityIds: parseJson<string[]>(r.entity_ids, []),
    egress: r.egress,
  };
}
