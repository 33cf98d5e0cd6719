import type { Transaction } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { TemplatesTable } from '../templates/tables.ts';
import type { SyncConflictsTable } from './tables.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { TemplateDocument } from '../../../preload/contract/templates.ts';
import type { SyncConflict } from '../../../preload/contract/sync.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import type { WireTemplate } from './wire.ts';
import { enqueueTemplateChange } from './outbox.ts';

/*
 * How a template the team changed lands here, and what happens when both sides changed it: the server's copy
 * becomes the shared template, the local edit is kept beside it as a copy, and a conflict row says so until the
 * user resolves it (keep mine, keep theirs, keep both). Every function runs inside the caller's transaction.
 */

export type Trx = Transaction<Database>;

export function toConflict(r: SyncConflictsTable): SyncConflict {
  return {
    id: r.id,
    templateId: r.template_id,
    templateName: r.template_name,
    copyId: r.copy_id,
    copyName: r.copy_name,
    serverVersion: r.server_version,
    serverDeleted: Boolean(r.server_deleted),
    at: iso(r.at),
  };
}

/** What the server says about its current version of a shared template. */
export function remoteFields(t: WireTemplate): Pick<TemplatesTable, 'remote_version' | 'remote_updated_by' | 'remote_updated_at'> {
  const at = Date.parse(t.updated_at);
  return { remote_version: t.version, remote_updated_by: t.updated_by, remote_updated_at: Number.isNaN(at) ? null : at };
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** Make the local template what the server says (a tombstone removes it). Local-only templates with the id are left alone. */
export async function applyServerCopy(ctx: CoreContext, trx: Trx, item: WireTemplate): Promise<'created' | 'updated' | 'deleted' | null> {
  const local = await trx.selectFrom('templates').selectAll().where('id', '=', item.id).executeTakeFirst();
  if (local && !local.shared) return null;
  if (item.deleted) {
    if (!local) return null;
    await trx.deleteFrom('templates').where('id', '=', item.id).execute();
    return 'deleted';
  }
  const doc = TemplateDocument.safeParse({ ...item.definition, name: item.name });
  if (!doc.success) {
    ctx.log.warn({ template: item.id }, 'sync: a shared template from the server is not a valid template; skipped');
    return null;
  }
  const d = doc.data;
  const name = await freeName(trx, d.name, item.id);
  const now = ctx.clock.now();
  const fields = {
    name,
    description: d.description,
    steps: JSON.stringify(d.steps),
    follow_ups: JSON.stringify(d.followUps),
    max_depth: d.maxDepth,
    shared: 1,
    ...remoteFields(item),
    updated_at: now,
  };
  if (local) {
    await trx
      .updateTable('templates')
      .set({ ...fields, version: local.version + 1 })
      .where('id', '=', item.id)
      .execute();
    return 'updated';
  }
  await trx
    .insertInto('templates')
    .values({ id: item.id, version: 1, usage_count: 0, created_at: now, ...fields })
    .execute();
  return 'created';
}

/** The name, or `<name> (team)`, `(team 2)`, ... when a different template holds it. */
async function freeName(trx: Trx, name: string, id: string): Promise<string> {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? name : i === 2 ? `${name} (team)` : `${name} (team ${i - 1})`;
    const holder = await trx.selectFrom('templates').select('id').where('name', '=', candidate).executeTakeFirst();
    if (!holder || holder.id === id) return candidate;
  }
}

/** Keeps a local edit the server refused as a local template of its own, named after the conflict. */
export async function keepLocalCopy(ctx: CoreContext, trx: Trx, local: TemplatesTable): Promise<{ id: string; name: string }> {
  const now = ctx.clock.now();
  const name = await freeName(trx, `${local.name} (conflict ${stamp(now)})`, '');
  const id = newId('tpl');
  await trx
    .insertInto('templates')
    .values({
      ...local,
      id,
      name,
      version: 1,
      usage_count: 0,
      shared: 0,
      remote_version: null,
      remote_updated_by: null,
      remote_updated_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, name };
}

export async function recordConflict(ctx: CoreContext, trx: Trx, server: WireTemplate, copy: { id: string; name: string } | null): Promise<SyncConflict> {
  const row: SyncConflictsTable = {
    id: newId('cfl'),
    template_id: server.id,
    template_name: server.name,
    copy_id: copy?.id ?? null,
    copy_name: copy?.name ?? null,
    server_version: server.version,
    server_deleted: server.deleted ? 1 : 0,
    at: ctx.clock.now(),
    dismissed: 0,
  };
  await trx.insertInto('sync_conflicts').values(row).execute();
  return toConflict(row);
}

export async function dismissConflict(ctx: CoreContext, id: string): Promise<void> {
  const res = await ctx.db.updateTable('sync_conflicts').set({ dismissed: 1 }).where('id', '=', id).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new DossierError('not_found', `no conflict ${id}`);
}

/** Resolves a conflict: `mine` makes the local copy the team's next version, `theirs` drops the copy, `both` keeps both. */
export async function resolveConflict(ctx: CoreContext, id: string, keep: 'mine' | 'theirs' | 'both'): Promise<void> {
  const now = ctx.clock.now();
  const changed: { id: string; kind: 'updated' | 'deleted' }[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('sync_conflicts').selectAll().where('id', '=', id).where('dismissed', '=', 0).executeTakeFirst();
    if (!c) throw new DossierError('not_found', `no open conflict ${id}`);
    const copy = c.copy_id ? await trx.selectFrom('templates').selectAll().where('id', '=', c.copy_id).executeTakeFirst() : undefined;
    if (keep !== 'both' && !copy) throw new DossierError('invalid_input', 'the local copy of this conflict no longer exists; only "both" (dismiss) applies');
    if (keep === 'mine') {
      const shared = await trx.selectFrom('templates').selectAll().where('id', '=', c.template_id).executeTakeFirst();
      if (!shared || !shared.shared) throw new DossierError('invalid_input', 'the shared template is gone or no longer shared; the local copy stays as it is');
      const fields = {
        description: copy!.description,
        steps: copy!.steps,
        follow_ups: copy!.follow_ups,
        max_depth: copy!.max_depth,
        version: shared.version + 1,
        updated_at: now,
      };
      await trx.updateTable('templates').set(fields).where('id', '=', shared.id).execute();
      // Queued against the team's version it now holds, so the push is a plain update (or a new conflict if the team moved again).
      await enqueueTemplateChange(trx, shared, 'upsert', now);
      changed.push({ id: shared.id, kind: 'updated' });
    }
    if (keep !== 'both') {
      await trx.deleteFrom('templates').where('id', '=', copy!.id).execute();
      changed.push({ id: copy!.id, kind: 'deleted' });
    }
    await trx.updateTable('sync_conflicts').set({ dismissed: 1 }).where('id', '=', id).execute();
  });
  for (const ch of changed) ctx.bus.emit('templates.changed', ch);
}
