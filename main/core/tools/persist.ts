import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { upsertEntity, upsertLink } from '../entities/store.ts';
import type { ToolInput, ToolResult } from './types.ts';
import { ToolError } from './types.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface PersistArgs {
  investigationId: string;
  runId: string;
  /** Who the finds are recorded as found by (entities/finders.ts): the batch for a batch's runs, else the run. */
  finder?: string;
  input: ToolInput;
  result: ToolResult;
  now: number;
}

export interface PersistOutcome {
  /** Entities new to the investigation (each emitted `entity.discovered`). */
  created: number;
  /** Ids of the produced entities, in the order the tool returned them. */
  entityIds: string[];
  /** Id of the input entity when the result linked to it. */
  inputEntityId: string | null;
  linksCreated: number;
}

const EMPTY: PersistOutcome = Object.freeze({ created: 0, entityIds: [], inputEntityId: null, linksCreated: 0 }) as PersistOutcome;

/**
 * Write what a run produced into the investigation's graph, inside the
 * caller's transaction: entities with the run id as provenance and their
 * evidence, then links by ref (`input` is the tool's input entity, created
 * when it is not one yet). An empty result touches nothing.
 */
export async function persistToolResult(trx: Db, args: PersistArgs): Promise<PersistOutcome> {
  const { investigationId, runId, input, result, now } = args;
  const foundBy = args.finder ?? runId;
  if (result.entities.length === 0 && result.links.length === 0) return { ...EMPTY, entityIds: [], inputEntityId: input.entityId ?? null };

  const ids = new Map<string, string>();
  const entityIds: string[] = [];
  let created = 0;
  for (const e of result.entities) {
    const r = await upsertEntity(
      trx,
      investigationId,
      { type: e.type, value: e.value, label: e.label ?? null, properties: e.properties ?? {}, evidence: e.evidence ?? null, sourceRunId: runId, foundBy },
      now,
    );
    if (r.created) created++;
    ids.set(e.ref, r.entity.id);
    entityIds.push(r.entity.id);
  }

  let inputEntityId = input.entityId ?? null;
  const resolve = async (ref: string): Promise<string> => {
    if (ref === 'input') {
      if (!inputEntityId) {
        // The user typed the input rather than picking an entity: it becomes one, so the graph can show the edge.
        const r = await upsertEntity(trx, investigationId, { type: input.type, value: input.value, sourceRunId: runId, foundBy }, now);
        if (r.created) created++;
        inputEntityId = r.entity.id;
      }
      return inputEntityId;
    }
    const id = ids.get(ref);
    if (!id) throw ToolError.permanent(`tool result links to an unknown entity ref "${ref}"`);
    return id;
  };

  let linksCreated = 0;
  for (const l of result.links) {
    const sourceId = await resolve(l.source);
    const targetId = await resolve(l.target);
    // A tool may rediscover its own input (a CNAME to itself, a username equal to the input): no self-edges.
    if (sourceId === targetId) continue;
    const r = await upsertLink(trx, investigationId, { sourceId, targetId, type: l.type, properties: l.properties, sourceRunId: runId, foundBy }, now);
    if (r.created) linksCreated++;
  }
  return { created, entityIds, inputEntityId, linksCreated };
}
