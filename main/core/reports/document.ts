import { z } from 'zod';
import { ENTITY_TYPES, LINK_TYPES, NOTES_MAX } from '../../../preload/contract/entities.ts';
import { INVESTIGATION_STATUSES } from '../../../preload/contract/investigations.ts';
import { TOOL_RUN_STATUSES } from '../../../preload/contract/tools.ts';
import { INVESTIGATION_DOCUMENT_VERSION } from '../../../preload/contract/reports.ts';

/**
 * The `dossier-investigation` JSON document, version 1: what the JSON export
 * writes and `investigation import` reads. The writer builds its objects with
 * these types and the reader validates with these schemas, so the two cannot
 * drift apart.
 */
const Time = z.iso.datetime({ offset: true });
const Json = z.record(z.string(), z.unknown());
const Ref = z.string().min(1).max(200);

export const DocInvestigation = z.object({
  id: Ref,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000),
  status: z.enum(INVESTIGATION_STATUSES),
  tags: z.array(z.string().trim().min(1).max(64)).max(50),
  createdAt: Time,
  updatedAt: Time,
});

/** Evidence is kept as the tool wrote it (any extra keys too); the known keys are checked for their types. */
export const DocEvidence = z.looseObject({
  httpStatus: z.number().optional(),
  finalUrl: z.string().optional(),
  excerpt: z.string().optional(),
  sha256: z.string().optional(),
  observedAt: z.string().optional(),
});

export const DocEntity = z.object({
  id: Ref,
  type: z.enum(ENTITY_TYPES),
  value: z.string().trim().min(1).max(4096),
  label: z.string().max(500).nullable(),
  /** The investigator's notes; documents from before notes have none. */
  notes: z.string().max(NOTES_MAX).default(''),
  properties: Json,
  evidence: DocEvidence.nullable(),
  sourceRunId: Ref.nullable(),
  firstSeen: Time,
  lastSeen: Time,
});

export const DocLink = z.object({
  id: Ref,
  sourceId: Ref,
  targetId: Ref,
  type: z.enum(LINK_TYPES),
  properties: Json,
  sourceRunId: Ref.nullable(),
  createdAt: Time,
});

export const DocToolRun = z.object({
  id: Ref,
  tool: z.string().min(1).max(100),
  input: z.object({ type: z.enum(ENTITY_TYPES), value: z.string().max(4096), entityId: Ref.nullable() }),
  params: Json,
  status: z.enum(TOOL_RUN_STATUSES),
  startedAt: Time,
  finishedAt: Time.nullable(),
  durationMs: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
  errorKind: z.enum(['transient', 'permanent', 'aborted']).nullable(),
  summary: z.string().nullable(),
  output: z.unknown(),
  entityCount: z.number().int().min(0),
  createdCount: z.number().int().min(0),
  entityIds: z.array(Ref),
  /** How the run reached the network (SPEC §3.11); documents from before egress were direct. */
  egress: z.string().max(300).default('direct'),
});

export const InvestigationDocument = z.object({
  format: z.literal('dossier-investigation'),
  version: z.literal(INVESTIGATION_DOCUMENT_VERSION),
  exportedAt: Time,
  dossierVersion: z.string().max(100),
  investigation: DocInvestigation,
  entities: z.array(DocEntity),
  links: z.array(DocLink),
  toolRuns: z.array(DocToolRun),
});

/** The document without its three lists: what an import holds while it streams the lists. */
export const DocumentHead = InvestigationDocument.omit({ entities: true, links: true, toolRuns: true });
export type DocumentHeadOf = z.infer<typeof DocumentHead>;

export type InvestigationDocument = z.infer<typeof InvestigationDocument>;
export type DocEntity = z.infer<typeof DocEntity>;
export type DocLink = z.infer<typeof DocLink>;
export type DocToolRun = z.infer<typeof DocToolRun>;
export type DocInvestigation = z.infer<typeof DocInvestigation>;

/** A zod issue path as a JSON path: `$.entities[3].type`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}
