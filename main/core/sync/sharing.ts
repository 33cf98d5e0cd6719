import type { CoreContext } from '../context.ts';
import type { TemplatesTable } from '../templates/tables.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { SharedTemplate } from '../../../preload/contract/sync.ts';
import { iso } from '../util/time.ts';
import { enqueueTemplateChange } from './outbox.ts';
import { readLink } from './link.ts';

/** Sharing a template with the team (queued in the sync outbox, pushed by the next round) and listing what is shared. */

/** What a shared template sends as its definition: the template document without its name. */
export function definitionOf(r: TemplatesTable): Record<string, unknown> {
  return { description: r.description, steps: JSON.parse(r.steps) as unknown, followUps: JSON.parse(r.follow_ups) as unknown, maxDepth: r.max_depth };
}

/** Shares (or unshares: the team gets a tombstone, this copy stays local) a template by id or name. */
export async function shareTemplate(ctx: CoreContext, idOrName: string, shared: boolean): Promise<TemplatesTable> {
  if (!(await readLink(ctx.db))) throw new DossierError('invalid_input', 'not connected to a team server (dossier sync connect --server URL --token TOKEN)');
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const r =
      (await trx.selectFrom('templates').selectAll().where('id', '=', idOrName).executeTakeFirst()) ??
      (await trx.selectFrom('templates').selectAll().where('name', '=', idOrName).executeTakeFirst());
    if (!r) throw new DossierError('not_found', `template "${idOrName}" not found`);
    if (Boolean(r.shared) === shared) return r;
    if (shared) {
      await trx.updateTable('templates').set({ shared: 1 }).where('id', '=', r.id).execute();
      await enqueueTemplateChange(trx, { ...r, shared: 1 }, 'upsert', now);
      return { ...r, shared: 1 };
    }
    // Unshare: the team loses it (a tombstone), this copy stays as a local template.
    await enqueueTemplateChange(trx, r, 'delete', now);
    await trx
      .updateTable('templates')
      .set({ shared: 0, remote_version: null, remote_updated_by: null, remote_updated_at: null })
      .where('id', '=', r.id)
      .execute();
    return { ...r, shared: 0, remote_version: null, remote_updated_by: null, remote_updated_at: null };
  });
  ctx.bus.emit('templates.changed', { id: row.id, kind: 'updated' });
  return row;
}

/** Shared templates with the server's version and who made it; `pending` when a local change waits to be pushed. */
export async function sharedTemplates(ctx: CoreContext): Promise<SharedTemplate[]> {
  const rows = await ctx.db
    .selectFrom('templates')
    .select(['id', 'name', 'remote_version', 'remote_updated_by', 'remote_updated_at', 'updated_at'])
    .select((eb) => eb.exists(eb.selectFrom('sync_outbox').select('seq').whereRef('sync_outbox.template_id', '=', 'templates.id')).as('pending'))
    .where('shared', '=', 1)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    version: r.remote_version ?? null,
    updatedBy: r.remote_updated_by ?? null,
    updatedAt: r.remote_updated_at != null ? iso(r.remote_updated_at) : null,
    pending: Boolean(r.pending),
  }));
}
