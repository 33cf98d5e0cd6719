import { stat } from 'node:fs/promises';
import type { Statement } from 'better-sqlite3';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { EntitiesTable, InvestigationsTable, LinksTable } from '../db/schema.ts';
import type { ToolRunsTable } from '../tools/tables.ts';
import type { ImportInvestigation, ImportResult } from '../../../preload/contract/reports.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { writeEvent } from '../events/outbox.ts';
import { FINDER_IMPORT } from '../entities/finders.ts';
import { newId } from '../util/ids.ts';
import { normalizeEntityValue } from '../entities/normalize.ts';
import { toInvestigation } from '../investigations/service.ts';
import { DocEntity, DocLink, DocToolRun, DocumentHead, jsonPath, type DocumentHeadOf } from './document.ts';
import { JsonStreamError, readJsonParts } from './json-stream.ts';
import { resolveSource } from './sources.ts';
import { Progress } from './progress.ts';

const LISTS = ['entities', 'links', 'toolRuns'] as const;
type ListKey = (typeof LISTS)[number];
const ITEM_SCHEMAS = { entities: DocEntity, links: DocLink, toolRuns: DocToolRun } as const;

function bad(path: string, message: string): DossierError {
  return new DossierError('invalid_input', `${path}: ${message}`, { path });
}

/** The parts of the document, each checked against its schema as it arrives; a problem is named by its JSON path. */
async function* checkedParts(
  path: string,
  label: string,
): AsyncGenerator<{ kind: 'head'; key: string; value: unknown } | { kind: 'list'; key: ListKey } | { kind: 'item'; key: ListKey; index: number; value: DocEntity | DocLink | DocToolRun }> {
  try {
    for await (const p of readJsonParts(path, LISTS)) {
      if (p.kind === 'list') yield { kind: 'list', key: p.key as ListKey };
      else if (p.kind === 'field') {
        if ((LISTS as readonly string[]).includes(p.key)) throw bad(`$.${p.key}`, `Invalid input: expected array, received ${p.value === null ? 'null' : typeof p.value}`);
        const schema = (DocumentHead.shape as Record<string, z.ZodType>)[p.key];
        // Keys the document does not define are ignored, as a whole-document parse would.
        if (!schema) continue;
        const r = schema.safeParse(p.value);
        if (!r.success) throw bad(jsonPath([p.key, ...r.error.issues[0]!.path]), r.error.issues[0]!.message);
        yield { kind: 'head', key: p.key, value: r.data };
      } else {
        const key = p.key as ListKey;
        const r = ITEM_SCHEMAS[key].safeParse(p.value);
        if (!r.success) throw bad(jsonPath([key, p.index, ...r.error.issues[0]!.path]), r.error.issues[0]!.message);
        yield { kind: 'item', key, index: p.index, value: r.data };
      }
    }
  } catch (e) {
    if (e instanceof JsonStreamError) throw new DossierError('invalid_input', `${label}: ${e.path}: not a JSON document (${e.message})`, { path: e.path });
    throw e;
  }
}

/** What the first pass learnt: the head, the new id of every row, the counts. Ids only, never the rows. */
interface Plan {
  head: DocumentHeadOf;
  entityIds: Map<string, string>;
  runIds: Map<string, string>;
  counts: Record<ListKey, number>;
}

/**
 * First pass: read the whole stream and check everything a whole-document
 * check would (schemas, duplicate ids, the same entity twice, every reference
 * inside the document), keeping only ids and keys in memory.
 */
async function plan(path: string, label: string): Promise<Plan> {
  const head: Record<string, unknown> = {};
  const entityIds = new Map<string, string>();
  const entityAt = new Map<string, number>();
  const entityKeys = new Map<string, number>();
  const runIds = new Map<string, string>();
  const linkIds = new Set<string>();
  const linkKeys = new Set<string>();
  const counts: Record<ListKey, number> = { entities: 0, links: 0, toolRuns: 0 };
  // References to rows that may come later in the file, checked at the end: each run id once (with where it was
  // first named), and link ends only when their entity has not been seen yet (in an export, entities come first).
  const entityRuns = new Map<string, number>();
  const linkEnds: [number, 'sourceId' | 'targetId', string][] = [];
  const linkRuns = new Map<string, number>();
  const listSeen = new Set<ListKey>();
  for await (const p of checkedParts(path, label)) {
    if (p.kind === 'head') {
      head[p.key] = p.value;
      continue;
    }
    if (p.kind === 'list') {
      listSeen.add(p.key);
      continue;
    }
    counts[p.key]++;
    const i = p.index;
    if (p.key === 'entities') {
      const e = p.value as DocEntity;
      if (entityAt.has(e.id)) throw bad(`$.entities[${i}].id`, `duplicate id (also $.entities[${entityAt.get(e.id)}])`);
      entityAt.set(e.id, i);
      entityIds.set(e.id, newId('ent'));
      const k = `${e.type}\u0000${normalizeEntityValue(e.type, e.value)}`;
      if (entityKeys.has(k)) throw bad(`$.entities[${i}].value`, `the same ${e.type} as $.entities[${entityKeys.get(k)}]`);
      entityKeys.set(k, i);
      if (e.sourceRunId !== null && !entityRuns.has(e.sourceRunId)) entityRuns.set(e.sourceRunId, i);
    } else if (p.key === 'toolRuns') {
      const r = p.value as DocToolRun;
      if (runIds.has(r.id)) throw bad(`$.toolRuns[${i}].id`, 'duplicate id');
      runIds.set(r.id, newId('run'));
    } else {
      const l = p.value as DocLink;
      if (linkIds.has(l.id)) throw bad(`$.links[${i}].id`, 'duplicate id');
      linkIds.add(l.id);
      if (l.sourceId === l.targetId) throw bad(`$.links[${i}].targetId`, 'a link cannot join an entity to itself');
      const k = `${l.sourceId}\u0000${l.targetId}\u0000${l.type}`;
      if (linkKeys.has(k)) throw bad(`$.links[${i}]`, 'duplicate link (same source, target and type)');
      linkKeys.add(k);
      if (!entityIds.has(l.sourceId)) linkEnds.push([i, 'sourceId', l.sourceId]);
      if (!entityIds.has(l.targetId)) linkEnds.push([i, 'targetId', l.targetId]);
      if (l.sourceRunId !== null && !linkRuns.has(l.sourceRunId)) linkRuns.set(l.sourceRunId, i);
    }
  }
  const h = DocumentHead.safeParse(head);
  if (!h.success) throw bad(jsonPath(h.error.issues[0]!.path), h.error.issues[0]!.message);
  for (const k of LISTS) if (!listSeen.has(k)) throw bad(`$.${k}`, 'Invalid input: expected array, received undefined');
  for (const [id, i] of [...entityRuns].sort((x, y) => x[1] - y[1])) if (!runIds.has(id)) throw bad(`$.entities[${i}].sourceRunId`, `no tool run ${id} in the document`);
  for (const [i, end, id] of linkEnds) if (!entityIds.has(id)) throw bad(`$.links[${i}].${end}`, `no entity ${id} in the document`);
  for (const [id, i] of [...linkRuns].sort((x, y) => x[1] - y[1])) if (!runIds.has(id)) throw bad(`$.links[${i}].sourceRunId`, `no tool run ${id} in the document`);
  return { head: h.data, entityIds, runIds, counts };
}

/**
 * Restore a `dossier-investigation` document as a new investigation: every
 * id is new, every reference inside the document follows its row, times,
 * properties, evidence and runs are kept as they were.
 *
 * Streamed: the file is read twice, element by element, never whole. The
 * first pass checks all of it (a bad document is refused before anything is
 * written, naming the JSON path of its first problem); the second writes it
 * in one transaction, so a file changed between the passes writes nothing
 * either.
 */
export async function importInvestigation(ctx: CoreContext, input: z.output<typeof ImportInvestigation>): Promise<ImportResult> {
  const src = resolveSource(ctx.dataDir, input.source);
  try {
    await stat(src.path);
  } catch {
    throw new DossierError('invalid_input', `${src.label}: file not found`);
  }
  const p = await plan(src.path, src.label);
  const { head, counts } = p;
  const now = ctx.clock.now();
  const invId = newId('inv');
  // References to rows that were deleted before the export stay as they were: nothing is dropped.
  const ent = (id: string | null) => (id === null ? null : (p.entityIds.get(id) ?? id));
  const run = (id: string | null) => (id === null ? null : (p.runIds.get(id) ?? id));
  const ms = (t: string) => Date.parse(t);
  const progress = new Progress(ctx.bus, { jobId: invId, investigationId: invId, kind: 'import', format: 'json' }, counts.entities + counts.links + counts.toolRuns);

  const invRow: InvestigationsTable = {
    id: invId,
    name: head.investigation.name,
    description: head.investigation.description,
    status: head.investigation.status,
    tags: JSON.stringify(head.investigation.tags),
    created_at: ms(head.investigation.createdAt),
    updated_at: ms(head.investigation.updatedAt),
  };
  const inv = await ctx.db.transaction().execute(async (trx) => {
    // Lists may come in any order (links before their entities): the ends are checked at commit.
    await sql`pragma defer_foreign_keys = on`.execute(trx);
    await trx.insertInto('investigations').values(invRow).execute();
    // Rows go in one by one through prepared statements on the same connection (so inside this transaction):
    // no batch of rows or SQL text is built, and nothing of the file is held after its row is written.
    const statements = new Map<string, Statement>();
    const put = (table: 'tool_runs' | 'entities' | 'links', row: ToolRunsTable | EntitiesTable | LinksTable) => {
      let st = statements.get(table);
      if (!st) {
        const cols = Object.keys(row);
        st = ctx.sqlite.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
        statements.set(table, st);
      }
      st.run(row);
      progress.tick();
    };
    const seen: Record<ListKey, number> = { entities: 0, links: 0, toolRuns: 0 };
    for await (const part of checkedParts(src.path, src.label)) {
      if (part.kind !== 'item') continue;
      seen[part.key]++;
      if (part.key === 'toolRuns') {
        const r = part.value as DocToolRun;
        put('tool_runs', {
          id: p.runIds.get(r.id)!,
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
          owner: null,
        });
      } else if (part.key === 'entities') {
        const e = part.value as DocEntity;
        const id = p.entityIds.get(e.id);
        if (!id) throw new DossierError('conflict', `${src.label}: the file changed while it was imported`);
        put('entities', {
          id,
          investigation_id: invId,
          type: e.type,
          value: e.value,
          normalized: normalizeEntityValue(e.type, e.value),
          label: e.label,
          notes: e.notes,
          properties: JSON.stringify(e.properties),
          source_run_id: run(e.sourceRunId),
          evidence: e.evidence === null ? null : JSON.stringify(e.evidence),
          first_seen: ms(e.firstSeen),
          last_seen: ms(e.lastSeen),
        });
      } else {
        const l = part.value as DocLink;
        const source = p.entityIds.get(l.sourceId);
        const target = p.entityIds.get(l.targetId);
        if (!source || !target) throw new DossierError('conflict', `${src.label}: the file changed while it was imported`);
        put('links', {
          id: newId('lnk'),
          investigation_id: invId,
          source_id: source,
          target_id: target,
          type: l.type,
          properties: JSON.stringify(l.properties),
          source_run_id: run(l.sourceRunId),
          created_at: ms(l.createdAt),
        });
      }
    }
    if (LISTS.some((k) => seen[k] !== counts[k])) throw new DossierError('conflict', `${src.label}: the file changed while it was imported`);
    // Imported finds are the investigator's: deleting a later batch with its finds leaves them (entities/finders.ts).
    ctx.sqlite.prepare(`insert or ignore into entity_finders (finder, entity_id) select ?, id from entities where investigation_id = ?`).run(FINDER_IMPORT, invId);
    ctx.sqlite.prepare(`insert or ignore into link_finders (finder, link_id) select ?, id from links where investigation_id = ?`).run(FINDER_IMPORT, invId);
    const created = { ...toInvestigation(invRow), entityCount: counts.entities };
    await writeEvent(trx, 'investigation.created', { investigation: created, importedFrom: { exportedAt: head.exportedAt, dossierVersion: head.dossierVersion } }, { investigationId: invId, now });
    return created;
  });
  progress.finish();
  src.done();
  ctx.bus.emit('investigation.changed', { id: invId, kind: 'created', investigation: inv });
  return { investigationId: invId, name: inv.name, entities: counts.entities, links: counts.links, runs: counts.toolRuns };
}
