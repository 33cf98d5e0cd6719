import { readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { EntitiesTable, InvestigationsTable, LinksTable } from '../db/schema.ts';
import type { ToolRunsTable } from '../tools/tables.ts';
import type { ImportInvestigation, ImportResult } from '../../../preload/contract/reports.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { writeEvent } from '../events/outbox.ts';
import { newId } from '../util/ids.ts';
import { normalizeEntityValue } from '../entities/normalize.ts';
import { toInvestigation } from '../investigations/service.ts';
import { InvestigationDocument, jsonPath } from './document.ts';
import { resolveSource } from './sources.ts';
import { Progress } from './progress.ts';

/** A JSON export is read whole; beyond this it is refused rather than exhausting memory. */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
const ROWS_PER_INSERT = 200;

function bad(path: string, message: string): DossierError {
  return new DossierError('invalid_input', `${path}: ${message}`, { path });
}

/** Parse and check a document completely before anything is written: the first problem is named by its JSON path. */
export function checkDocument(raw: unknown): InvestigationDocument {
  const parsed = InvestigationDocument.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw bad(jsonPath(issue.path), issue.message);
  }
  const doc = parsed.data;
  const seen = new Map<string, number>();
  const keys = new Map<string, number>();
  doc.entities.forEach((e, i) => {
    if (seen.has(e.id)) throw bad(`$.entities[${i}].id`, `duplicate id (also $.entities[${seen.get(e.id)}])`);
    seen.set(e.id, i);
    const key = `${e.type}\u0000${normalizeEntityValue(e.type, e.value)}`;
    if (keys.has(key)) throw bad(`$.entities[${i}].value`, `the same ${e.type} as $.entities[${keys.get(key)}]`);
    keys.set(key, i);
  });
  const runIds = new Set<string>();
  doc.toolRuns.forEach((r, i) => {
    if (runIds.has(r.id)) throw bad(`$.toolRuns[${i}].id`, 'duplicate id');
    runIds.add(r.id);
  });
  doc.entities.forEach((e, i) => {
    if (e.sourceRunId !== null && !runIds.has(e.sourceRunId)) throw bad(`$.entities[${i}].sourceRunId`, `no tool run ${e.sourceRunId} in the document`);
  });
  const linkIds = new Set<string>();
  const linkKeys = new Set<string>();
  doc.links.forEach((l, i) => {
    if (linkIds.has(l.id)) throw bad(`$.links[${i}].id`, 'duplicate id');
    linkIds.add(l.id);
    if (!seen.has(l.sourceId)) throw bad(`$.links[${i}].sourceId`, `no entity ${l.sourceId} in the document`);
    if (!seen.has(l.targetId)) throw bad(`$.links[${i}].targetId`, `no entity ${l.targetId} in the document`);
    if (l.sourceId === l.targetId) throw bad(`$.links[${i}].targetId`, 'a link cannot join an entity to itself');
    const key = `${l.sourceId}\u0000${l.targetId}\u0000${l.type}`;
    if (linkKeys.has(key)) throw bad(`$.links[${i}]`, 'duplicate link (same source, target and type)');
    linkKeys.add(key);
    if (l.sourceRunId !== null && !runIds.has(l.sourceRunId)) throw bad(`$.links[${i}].sourceRunId`, `no tool run ${l.sourceRunId} in the document`);
  });
  return doc;
}

async function readDocument(path: string, label: string): Promise<unknown> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new DossierError('invalid_input', `${label}: file not found`);
  }
  if (size > MAX_IMPORT_BYTES) throw new DossierError('payload_too_large', `${label}: larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DossierError('invalid_input', `${label}: $: not a JSON document (${(e as Error).message})`, { path: '$' });
  }
}

/**
 * Restore a `dossier-investigation` document as a new investigation: every
 * id is new, every reference inside the document follows its row, times,
 * properties, evidence and runs are kept as they were. One transaction: a bad
 * document writes nothing.
 */
export async function importInvestigation(ctx: CoreContext, input: z.output<typeof ImportInvestigation>): Promise<ImportResult> {
  const src = resolveSource(ctx.dataDir, input.source);
  const doc = checkDocument(await readDocument(src.path, src.label));
  const now = ctx.clock.now();
  const invId = newId('inv');
  const entityIds = new Map(doc.entities.map((e) => [e.id, newId('ent')]));
  const runIds = new Map(doc.toolRuns.map((r) => [r.id, newId('run')]));
  // References to rows that were deleted before the export stay as they were: nothing is dropped.
  const ent = (id: string | null) => (id === null ? null : (entityIds.get(id) ?? id));
  const run = (id: string | null) => (id === null ? null : (runIds.get(id) ?? id));
  const ms = (t: string) => Date.parse(t);
  const progress = new Progress(ctx.bus, { jobId: invId, investigationId: invId, kind: 'import', format: 'json' }, doc.entities.length + doc.links.length + doc.toolRuns.length);

  const invRow: InvestigationsTable = {
    id: invId,
    name: doc.investigation.name,
    description: doc.investigation.description,
    status: doc.investigation.status,
    tags: JSON.stringify(doc.investigation.tags),
    created_at: ms(doc.investigation.createdAt),
    updated_at: ms(doc.investigation.updatedAt),
  };
  const inv = await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('investigations').values(invRow).execute();
    const insert = async <T>(table: 'tool_runs' | 'entities' | 'links', rows: T[]) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const part = rows.slice(i, i + ROWS_PER_INSERT);
        await trx.insertInto(table).values(part as never).execute();
        progress.tick(part.length);
      }
    };
    await insert<ToolRunsTable>(
      'tool_runs',
      doc.toolRuns.map((r) => ({
        id: runIds.get(r.id)!,
        investigation_id: invId,
        tool: r.tool,
        input_type: r.input.type,
        input_value: r.input.value,
        input_entity_id: ent(r.input.entityId),
        params: JSON.stringify(r.params),
        status: r.status,
        started_at: ms(r.startedAt),
        finished_at: r.finishedAt === null ? null : ms(r.finishedAt),
        duration_ms: r.durationMs,
        error: r.error,
        error_kind: r.errorKind,
        summary: r.summary,
        output: r.output === undefined || r.output === null ? null : JSON.stringify(r.output),
        entity_count: r.entityCount,
        created_count: r.createdCount,
        entity_ids: JSON.stringify(r.entityIds.map((id) => ent(id))),
        egress: r.egress,
      })),
    );
    await insert<EntitiesTable>(
      'entities',
      doc.entities.map((e) => ({
        id: entityIds.get(e.id)!,
        investigation_id: invId,
        type: e.type,
        value: e.value,
        normalized: normalizeEntityValue(e.type, e.value),
        label: e.label,
        properties: JSON.stringify(e.properties),
        source_run_id: run(e.sourceRunId),
        evidence: e.evidence === null ? null : JSON.stringify(e.evidence),
        first_seen: ms(e.firstSeen),
        last_seen: ms(e.lastSeen),
      })),
    );
    await insert<LinksTable>(
      'links',
      doc.links.map((l) => ({
        id: newId('lnk'),
        investigation_id: invId,
        source_id: entityIds.get(l.sourceId)!,
        target_id: entityIds.get(l.targetId)!,
        type: l.type,
        properties: JSON.stringify(l.properties),
        source_run_id: run(l.sourceRunId),
        created_at: ms(l.createdAt),
      })),
    );
    const created = { ...toInvestigation(invRow), entityCount: doc.entities.length };
    await writeEvent(trx, 'investigation.created', { investigation: created, importedFrom: { exportedAt: doc.exportedAt, dossierVersion: doc.dossierVersion } }, { investigationId: invId, now });
    return created;
  });
  progress.finish();
  src.done();
  ctx.bus.emit('investigation.changed', { id: invId, kind: 'created', investigation: inv });
  return { investigationId: invId, name: inv.name, entities: doc.entities.length, links: doc.links.length, runs: doc.toolRuns.length };
}
