import type { Kysely, Transaction } from 'kysely';
import { isDeepStrictEqual } from 'node:util';
import type { SharedTemplatesTable, SyncDatabase } from './db/tables.ts';
import { nextSeq } from './db/dialect.ts';
import { writeAudit } from './audit.ts';
import { ApiError } from './http/errors.ts';
import { newId } from './tokens.ts';
import type { Caller } from './context.ts';
import type { TemplateFeed, WireTemplate } from '../../main/core/sync/wire.ts';

export function toWireTemplate(r: SharedTemplatesTable): WireTemplate {
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    deleted: Boolean(r.deleted),
    definition: r.deleted ? null : (JSON.parse(r.definition) as Record<string, unknown>),
    updated_at: new Date(Number(r.updated_at)).toISOString(),
    updated_by: r.updated_by,
  };
}

/** Test seam: runs inside the change's transaction just before it commits. */
export type BeforeCommit = (seq: number) => Promise<void>;

async function find(trx: Transaction<SyncDatabase>, teamId: string, id: string) {
  return trx.selectFrom('shared_templates').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
}

/**
 * Create; with a client-chosen id a retry of the same create answers the same row
 * (idempotent) and anything else under that id is a conflict. The sequence number
 * is taken first, which also serialises this team's writers (see nextSeq).
 */
export async function createTemplate(
  db: Kysely<SyncDatabase>,
  c: Caller,
  body: { id?: string; name: string; definition: Record<string, unknown> },
  now: number,
  beforeCommit?: BeforeCommit,
): Promise<{ row: SharedTemplatesTable; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const seq = await nextSeq(trx, c.teamId);
    const id = body.id ?? newId('tpl');
    const existing = await find(trx, c.teamId, id);
    if (existing) {
      const same = !existing.deleted && existing.version === 1 && existing.name === body.name && isDeepStrictEqual(JSON.parse(existing.definition), body.definition);
      if (same) return { row: existing, created: false };
      throw new ApiError('conflict', `template ${id} already exists`, { current: toWireTemplate(existing) });
    }
    const row: SharedTemplatesTable = {
      team_id: c.teamId,
      id,
      name: body.name,
      version: 1,
      deleted: 0,
      definition: JSON.stringify(body.definition),
      seq,
      created_by: c.memberName,
      updated_by: c.memberName,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('shared_templates').values(row).execute();
    await writeAudit(trx, { teamId: c.teamId, memberId: c.memberId, action: 'template.create', targetType: 'template', targetId: id, detail: { name: body.name }, at: now, seq });
    await beforeCommit?.(seq);
    return { row, created: true };
  });
}

/** Update (definition given) or tombstone (definition null), only from the version the caller names. */
export async function changeTemplate(
  db: Kysely<SyncDatabase>,
  c: Caller,
  id: string,
  ifMatch: number,
  change: { name: string; definition: Record<string, unknown> } | null,
  now: number,
  beforeCommit?: BeforeCommit,
): Promise<SharedTemplatesTable> {
  return db.transaction().execute(async (trx) => {
    const seq = await nextSeq(trx, c.teamId);
    const cur = await find(trx, c.teamId, id);
    if (!cur) throw new ApiError('not_found', `no template ${id} in this team`);
    if (cur.version !== ifMatch || cur.deleted) {
      throw new ApiError('conflict', cur.deleted ? `template ${id} was deleted (version ${cur.version})` : `template ${id} is at version ${cur.version}, not ${ifMatch}`, {
        current: toWireTemplate(cur),
      });
    }
    const next: SharedTemplatesTable = {
      ...cur,
      name: change?.name ?? cur.name,
      definition: change ? JSON.stringify(change.definition) : '{}',
      deleted: change ? 0 : 1,
      version: cur.version + 1,
      seq,
      updated_by: c.memberName,
      updated_at: now,
    };
    await trx
      .updateTable('shared_templates')
      .set({ name: next.name, definition: next.definition, deleted: next.deleted, version: next.version, seq, updated_by: next.updated_by, updated_at: now })
      .where('team_id', '=', c.teamId)
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, { teamId: c.teamId, memberId: c.memberId, action: change ? 'template.update' : 'template.delete', targetType: 'template', targetId: id, detail: { name: next.name, version: next.version }, at: now, seq });
    await beforeCommit?.(seq);
    return next;
  });
}

/** Changes after `since`, oldest first. */
export async function templateFeed(db: Kysely<SyncDatabase>, teamId: string, since: number, limit: number): Promise<TemplateFeed> {
  const rows = await db.selectFrom('shared_templates').selectAll().where('team_id', '=', teamId).where('seq', '>', since).orderBy('seq').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return { items: page.map(toWireTemplate), cursor: String(page.length ? Number(page.at(-1)!.seq) : since), more: rows.length > limit };
}
