import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { EntitiesTable, LinksTable } from '../db/schema.ts';
import type { Entity, EntityType, Evidence, Link, LinkType } from '../../../preload/contract/entities.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { writeEvent } from '../events/outbox.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import { normalizeEntityValue } from './normalize.ts';
import { FINDER_HAND, recordEntityFinder, recordLinkFinder } from './finders.ts';

type Db = Kysely<Database> | Transaction<Database>;

export function toEntity(r: EntitiesTable): Entity {
  return {
    id: r.id,
    investigationId: r.investigation_id,
    type: r.type as EntityType,
    value: r.value,
    normalized: r.normalized,
    label: r.label,
    notes: r.notes,
    properties: parseJson<Record<string, unknown>>(r.properties, {}),
    sourceRunId: r.source_run_id,
    evidence: parseJson<Evidence | null>(r.evidence, null),
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
  };
}

export function toLink(r: LinksTable): Link {
  return {
    id: r.id,
    investigationId: r.investigation_id,
    sourceId: r.source_id,
    targetId: r.target_id,
    type: r.type as LinkType,
    properties: parseJson<Record<string, unknown>>(r.properties, {}),
    sourceRunId: r.source_run_id,
    createdAt: iso(r.created_at),
  };
}

export interface EntityInput {
  type: EntityType;
  value: string;
  label?: string | null;
  properties?: Record<string, unknown>;
  evidence?: Evidence | null;
  sourceRunId?: string | null;
  /** Who found it (entities/finders.ts): a batch id, a run id, `hand`, `import`; default the run, else `hand`. */
  foundBy?: string;
}

/**
 * Insert or merge an entity: an existing (type, normalized value) keeps its id
 * and first_seen, merges properties, takes the newer evidence and updates
 * last_seen. New entities emit `entity.discovered` in the same transaction.
 */
export async function upsertEntity(
  trx: Db,
  investigationId: string,
  input: EntityInput,
  now = Date.now(),
): Promise<{ entity: Entity; created: boolean }> {
  const normalized = normalizeEntityValue(input.type, input.value);
  const existing = await trx
    .selectFrom('entities')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .where('type', '=', input.type)
    .where('normalized', '=', normalized)
    .executeTakeFirst();
  if (existing) {
    const merged = { ...parseJson<Record<string, unknown>>(existing.properties, {}), ...(input.properties ?? {}) };
    const changes: Partial<EntitiesTable> = { properties: JSON.stringify(merged), last_seen: now };
    if (input.label) changes.label = input.label;
    if (input.evidence) changes.evidence = JSON.stringify(input.evidence);
    if (input.sourceRunId && !existing.source_run_id) changes.source_run_id = input.sourceRunId;
    await trx.updateTable('entities').set(changes).where('id', '=', existing.id).execute();
    await recordEntityFinder(trx, input.foundBy ?? input.sourceRunId ?? FINDER_HAND, existing.id);
    return { entity: toEntity({ ...existing, ...changes }), created: false };
  }
  const row: EntitiesTable = {
    id: newId('ent'),
    investigation_id: investigationId,
    type: input.type,
    value: input.value.trim(),
    normalized,
    label: input.label ?? null,
    notes: '',
    properties: JSON.stringify(input.properties ?? {}),
    source_run_id: input.sourceRunId ?? null,
    evidence: input.evidence ? JSON.stringify(input.evidence) : null,
    first_seen: now,
    last_seen: now,
  };
  try {
    await trx.insertInto('entities').values(row).execute();
  } catch (e) {
    if (String((e as Error).message).includes('FOREIGN KEY')) {
      throw new DossierError('not_found', `investigation ${investigationId} not found`);
    }
    throw e;
  }
  await recordEntityFinder(trx, input.foundBy ?? input.sourceRunId ?? FINDER_HAND, row.id);
  const entity = toEntity(row);
  await writeEvent(trx, 'entity.discovered', { entity }, { investigationId, now });
  return { entity, created: true };
}

export interface LinkInput {
  sourceId: string;
  targetId: string;
  type: LinkType;
  properties?: Record<string, unknown>;
  sourceRunId?: string | null;
  /** As for entities: a batch id, a run id, `hand`, `import`. */
  foundBy?: string;
}

/** Insert a link, or merge properties into the existing (source, target, type). */
export async function upsertLink(
  trx: Db,
  investigationId: string,
  input: LinkInput,
  now = Date.now(),
): Promise<{ link: Link; created: boolean }> {
  if (input.sourceId === input.targetId) throw new DossierError('invalid_input', 'a link cannot join an entity to itself');
  const ends = await trx
    .selectFrom('entities')
    .select(['id', 'investigation_id'])
    .where('id', 'in', [input.sourceId, input.targetId])
    .execute();
  if (ends.length !== 2 || ends.some((e) => e.investigation_id !== investigationId)) {
    throw new DossierError('not_found', 'both ends of a link must be entities of the same investigation');
  }
  const existing = await trx
    .selectFrom('links')
    .selectAll()
    .where('source_id', '=', input.sourceId)
    .where('target_id', '=', input.targetId)
    .where('type', '=', input.type)
    .executeTakeFirst();
  if (existing) {
    await recordLinkFinder(trx, input.foundBy ?? input.sourceRunId ?? FINDER_HAND, existing.id);
    if (!input.properties || Object.keys(input.properties).length === 0) return { link: toLink(existing), created: false };
    const properties = JSON.stringify({ ...parseJson<Record<string, unknown>>(existing.properties, {}), ...input.properties });
    await trx.updateTable('links').set({ properties }).where('id', '=', existing.id).execute();
    return { link: toLink({ ...existing, properties }), created: false };
  }
  const row: LinksTable = {
    id: newId('lnk'),
    investigation_id: investigationId,
    source_id: input.sourceId,
    target_id: input.targetId,
    type: input.type,
    properties: JSON.stringify(input.properties ?? {}),
    source_run_id: input.sourceRunId ?? null,
    created_at: now,
  };
  await trx.insertInto('links').values(row).execute();
  await recordLinkFinder(trx, input.foundBy ?? input.sourceRunId ?? FINDER_HAND, row.id);
  return { link: toLink(row), created: true };
}
