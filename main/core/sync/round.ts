import type { CoreContext } from '../context.ts';
import type { SyncResult } from '../../../preload/contract/sync.ts';
import type { SyncClient } from './client.ts';
import { applyServerCopy, keepLocalCopy, recordConflict, remoteFields, type Trx } from './conflicts.ts';
import { readLink } from './link.ts';
import { definitionOf } from './sharing.ts';

/*
 * One sync round's two halves (SPEC §3.9 desktop side). Each outbox entry is removed in the same transaction
 * that records what the server answered, and the cursor moves in the transaction that applies the page it came
 * with, so a crash at any point redoes at most one idempotent step.
 */

/** Pushes the last queued change of each template; a refused one becomes a conflict (the team's copy wins, the edit is kept). */
export async function pushChanges(ctx: CoreContext, client: SyncClient, result: SyncResult): Promise<void> {
  const entries = await ctx.db.selectFrom('sync_outbox').selectAll().orderBy('seq').execute();
  // The last entry per template says what to send; the earlier ones are covered by it.
  const last = new Map<string, (typeof entries)[number]>();
  for (const e of entries) {
    last.delete(e.template_id);
    last.set(e.template_id, e);
  }
  for (const e of last.values()) {
    const upTo = e.seq!;
    const done = (trx: Trx) => trx.deleteFrom('sync_outbox').where('template_id', '=', e.template_id).where('seq', '<=', upTo).execute();
    if (e.kind === 'delete') {
      const r = e.remote_version === null ? null : await client.remove(e.template_id, e.remote_version);
      const restored = await ctx.db.transaction().execute(async (trx) => {
        await done(trx);
        if (!r || r.ok || r.current.deleted) return false;
        // Deleted here, edited there: the team's copy comes back; nothing local to keep.
        await applyServerCopy(ctx, trx, r.current);
        result.conflicts.push(await recordConflict(ctx, trx, r.current, null));
        return true;
      });
      // After the commit, so open lists and editors re-read what a conflict put in place.
      if (restored) ctx.bus.emit('templates.changed', { id: e.template_id, kind: 'created' });
      result.pushed++;
      continue;
    }
    const row = await ctx.db.selectFrom('templates').selectAll().where('id', '=', e.template_id).executeTakeFirst();
    if (!row || !row.shared) {
      await ctx.db.transaction().execute(async (trx) => void (await done(trx)));
      continue;
    }
    const body = { name: row.name, definition: definitionOf(row) };
    const r = row.remote_version == null ? await client.create({ id: row.id, ...body }) : await client.update(row.id, row.remote_version, body);
    const copy = await ctx.db.transaction().execute(async (trx) => {
      if (r.ok) {
        await trx.updateTable('templates').set(remoteFields(r.template)).where('id', '=', row.id).execute();
        await done(trx);
        return undefined;
      }
      // The server moved on: its copy becomes the template, the local edit is kept beside it.
      const local = await trx.selectFrom('templates').selectAll().where('id', '=', row.id).executeTakeFirst();
      const kept = local ? await keepLocalCopy(ctx, trx, local) : null;
      await applyServerCopy(ctx, trx, r.current);
      result.conflicts.push(await recordConflict(ctx, trx, r.current, kept));
      await trx.deleteFrom('sync_outbox').where('template_id', '=', row.id).execute();
      return kept;
    });
    // After the commit: an editor open on the template must show the team's version, and lists the copy.
    if (copy !== undefined) {
      ctx.bus.emit('templates.changed', { id: row.id, kind: 'updated' });
      if (copy) ctx.bus.emit('templates.changed', { id: copy.id, kind: 'created' });
    }
    result.pushed++;
  }
}

/** Pulls the team feed page by page from the cursor; a template with a local change still queued is left to its push. */
export async function pullChanges(ctx: CoreContext, client: SyncClient, result: SyncResult): Promise<void> {
  for (;;) {
    const link = await readLink(ctx.db);
    if (!link) return;
    const page = await client.feed(link.cursor);
    const changed: { id: string; kind: 'created' | 'updated' | 'deleted' }[] = [];
    await ctx.db.transaction().execute(async (trx) => {
      for (const item of page.items) {
        // A local change still queued wins here; its push meets the server's version and keeps both.
        const pending = await trx.selectFrom('sync_outbox').select('seq').where('template_id', '=', item.id).executeTakeFirst();
        if (pending) continue;
        const kind = await applyServerCopy(ctx, trx, item);
        if (kind) {
          changed.push({ id: item.id, kind });
          result.pulled++;
        }
      }
      await trx.updateTable('sync_link').set({ cursor: page.cursor }).where('id', '=', 1).execute();
    });
    for (const c of changed) ctx.bus.emit('templates.changed', c);
    if (!page.more || page.items.length === 0) return;
  }
}
