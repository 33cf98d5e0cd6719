import type { Kysely, Transaction } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { TemplatesTable } from '../templates/tables.ts';
import type { SyncConflictsTable, SyncLinkTable } from './tables.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { TemplateDocument } from '../../../preload/contract/templates.ts';
import type { SharedTemplate, SyncConflict, SyncResult, SyncStatus } from '../../../preload/contract/sync.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import { SyncClient } from './client.ts';
import type { WireTemplate } from './wire.ts';
import { releaseSyncLease, takeSyncLease } from './lease.ts';
import { enqueueTemplateChange } from './outbox.ts';
import { publishEvents } from './publish.ts';

type Trx = Transaction<Database>;

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

/** What a shared template sends as its definition: the template document without its name. */
export function definitionOf(r: TemplatesTable): Record<string, unknown> {
  return { description: r.description, steps: JSON.parse(r.steps) as unknown, followUps: JSON.parse(r.follow_ups) as unknown, maxDepth: r.max_depth };
}

/** What the server says about its current version of a shared template. */
function remoteFields(t: WireTemplate): Pick<TemplatesTable, 'remote_version' | 'remote_updated_by' | 'remote_updated_at'> {
  const at = Date.parse(t.updated_at);
  return { remote_version: t.version, remote_updated_by: t.updated_by, remote_updated_at: Number.isNaN(at) ? null : at };
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Push then pull (SPEC §3.9 desktop side). Each outbox entry is removed in the
 * same transaction that records what the server answered, and the cursor moves in
 * the transaction that applies the page it came with, so a crash at any point
 * redoes at most one idempotent step.
 */
export class SyncEngine {
  private running: Promise<SyncResult> | null = null;
  constructor(
    private readonly ctx: CoreContext,
    private readonly fetchImpl?: typeof fetch,
  ) {}

  private get db(): Kysely<Database> {
    return this.ctx.db;
  }

  async link(): Promise<SyncLinkTable | undefined> {
    return this.db.selectFrom('sync_link').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  private client(link: Pick<SyncLinkTable, 'server' | 'token_sealed'>): SyncClient {
    return new SyncClient({ server: link.server, token: this.ctx.secrets.decrypt(link.token_sealed), fetch: this.fetchImpl });
  }

  async connect(given: string | undefined, token: string): Promise<SyncStatus> {
    const server = (given ?? (await this.ctx.settings.get('sync.server'))).replace(/\/+$/, '');
    if (!server) throw new DossierError('invalid_input', 'no team server given, and the sync.server setting is empty (dossier sync connect --server URL)');
    const me = await new SyncClient({ server, token, fetch: this.fetchImpl }).me();
    const now = this.ctx.clock.now();
    const existing = await this.link();
    const sameTeam = existing && existing.team_id === me.team.id && existing.server === server;
    const row: SyncLinkTable = {
      id: 1,
      server,
      token_sealed: this.ctx.secrets.encrypt(token),
      team_id: me.team.id,
      team_name: me.team.name,
      member_id: me.member.id,
      member_name: me.member.name,
      role: me.member.role,
      // Reconnecting to the same team keeps the cursor; another team starts from the beginning.
      cursor: sameTeam ? existing.cursor : '0',
      connected_at: now,
      last_sync_at: sameTeam ? existing.last_sync_at : null,
      last_attempt_at: null,
      last_error: null,
      lease_owner: null,
      lease_until: null,
      // Events are published from the connection on: a new team does not get this desktop's history.
      events_cursor: sameTeam ? existing.events_cursor : await this.outboxHead(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sync_link').execute();
      await trx.insertInto('sync_link').values(row).execute();
    });
    // The setting is the URL last connected to: the next connect (or Settings → Team) offers it.
    if ((await this.ctx.settings.get('sync.server')) !== server) await this.ctx.settings.set('sync.server', server);
    this.ctx.bus.emit('sync.changed', { kind: 'connected' });
    return this.status();
  }

  async status(): Promise<SyncStatus> {
    const [link, pending, shared, conflicts] = await Promise.all([
      this.link(),
      this.db
        .selectFrom('sync_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('templates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('shared', '=', 1)
        .executeTakeFirstOrThrow(),
      this.db.selectFrom('sync_conflicts').selectAll().where('dismissed', '=', 0).orderBy('at', 'desc').limit(100).execute(),
    ]);
    return {
      connected: Boolean(link),
      server: link?.server ?? null,
      team: link ? { id: link.team_id, name: link.team_name } : null,
      member: link ? { id: link.member_id, name: link.member_name, role: link.role } : null,
      cursor: link?.cursor ?? null,
      lastSyncAt: link?.last_sync_at ? iso(link.last_sync_at) : null,
      lastAttemptAt: link?.last_attempt_at ? iso(link.last_attempt_at) : null,
      lastError: link?.last_error ?? null,
      pending: Number(pending.n),
      sharedTemplates: Number(shared.n),
      conflicts: conflicts.map(toConflict),
    };
  }

  async disconnect(): Promise<{ disconnected: boolean; droppedChanges: number }> {
    return this.db.transaction().execute(async (trx) => {
      const link = await trx.selectFrom('sync_link').select('id').executeTakeFirst();
      const dropped = await trx.deleteFrom('sync_outbox').executeTakeFirst();
      await trx.deleteFrom('sync_link').execute();
      await trx
        .updateTable('templates')
        .set({ shared: 0, remote_version: null, remote_updated_by: null, remote_updated_at: null })
        .where('shared', '=', 1)
        .execute();
      if (link) this.ctx.bus.emit('sync.changed', { kind: 'disconnected' });
      return { disconnected: Boolean(link), droppedChanges: Number(dropped.numDeletedRows) };
    });
  }

  async share(idOrName: string, shared: boolean): Promise<TemplatesTable> {
    if (!(await this.link())) throw new DossierError('invalid_input', 'not connected to a team server (dossier sync connect --server URL --token TOKEN)');
    const now = this.ctx.clock.now();
    const row = await this.db.transaction().execute(async (trx) => {
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
    this.ctx.bus.emit('templates.changed', { id: row.id, kind: 'updated' });
    return row;
  }

  /** Shared templates with the server's version and who made it; `pending` when a local change waits to be pushed. */
  async sharedTemplates(): Promise<SharedTemplate[]> {
    const rows = await this.db
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

  async dismiss(id: string): Promise<void> {
    const res = await this.db.updateTable('sync_conflicts').set({ dismissed: 1 }).where('id', '=', id).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new DossierError('not_found', `no conflict ${id}`);
  }

  async resolve(id: string, keep: 'mine' | 'theirs' | 'both'): Promise<void> {
    const now = this.ctx.clock.now();
    const changed: { id: string; kind: 'updated' | 'deleted' }[] = [];
    await this.db.transaction().execute(async (trx) => {
      const c = await trx.selectFrom('sync_conflicts').selectAll().where('id', '=', id).where('dismissed', '=', 0).executeTakeFirst();
      if (!c) throw new DossierError('not_found', `no open conflict ${id}`);
      const copy = c.copy_id ? await trx.selectFrom('templates').selectAll().where('id', '=', c.copy_id).executeTakeFirst() : undefined;
      if (keep !== 'both' && !copy) throw new DossierError('invalid_input', 'the local copy of this conflict no longer exists; only "both" (dismiss) applies');
      if (keep === 'mine') {
        const shared = await trx.selectFrom('templates').selectAll().where('id', '=', c.template_id).executeTakeFirst();
        if (!shared || !shared.shared)
          throw new DossierError('invalid_input', 'the shared template is gone or no longer shared; the local copy stays as it is');
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
    for (const ch of changed) this.ctx.bus.emit('templates.changed', ch);
  }

  private async outboxHead(): Promise<number> {
    const r = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(r?.seq ?? 0);
  }

  async pendingCount(): Promise<number> {
    const r = await this.db
      .selectFrom('sync_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** One sync at a time per process; another process holding the lease answers `busy`. */
  syncNow(): Promise<SyncResult> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<SyncResult> {
    const link = await this.link();
    if (!link) throw new DossierError('invalid_input', 'not connected to a team server (dossier sync connect --server URL --token TOKEN)');
    if (!(await takeSyncLease(this.db, this.ctx.clock.now())))
      throw new DossierError('busy', 'another Dossier process is syncing this data directory; try again in a moment');
    const client = this.client(link);
    const result: SyncResult = { pushed: 0, pulled: 0, published: 0, conflicts: [] };
    try {
      await this.push(client, result);
      await this.pull(client, result);
      await publishEvents(this.db, client, (await this.ctx.settings.get('sync.publishEvents')) as string[], result);
      await this.db
        .updateTable('sync_link')
        .set({ last_sync_at: this.ctx.clock.now(), last_attempt_at: this.ctx.clock.now(), last_error: null })
        .where('id', '=', 1)
        .execute();
      this.ctx.bus.emit('sync.changed', { kind: 'synced' });
      return result;
    } catch (e) {
      const message = (e as Error).message;
      await this.db.updateTable('sync_link').set({ last_attempt_at: this.ctx.clock.now(), last_error: message }).where('id', '=', 1).execute();
      this.ctx.bus.emit('sync.changed', { kind: 'failed', error: message });
      throw e;
    } finally {
      // Conflicts found before a failure are kept and still told.
      if (result.conflicts.length) this.ctx.bus.emit('sync.conflict', { conflicts: result.conflicts });
      await releaseSyncLease(this.db);
    }
  }

  private async push(client: SyncClient, result: SyncResult): Promise<void> {
    const entries = await this.db.selectFrom('sync_outbox').selectAll().orderBy('seq').execute();
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
        const restored = await this.db.transaction().execute(async (trx) => {
          await done(trx);
          if (!r || r.ok || r.current.deleted) return false;
          // Deleted here, edited there: the team's copy comes back; nothing local to keep.
          await this.applyServerCopy(trx, r.current);
          result.conflicts.push(await this.recordConflict(trx, r.current, null));
          return true;
        });
        // After the commit, so open lists and editors re-read what a conflict put in place.
        if (restored) this.ctx.bus.emit('templates.changed', { id: e.template_id, kind: 'created' });
        result.pushed++;
        continue;
      }
      const row = await this.db.selectFrom('templates').selectAll().where('id', '=', e.template_id).executeTakeFirst();
      if (!row || !row.shared) {
        await this.db.transaction().execute(async (trx) => void (await done(trx)));
        continue;
      }
      const body = { name: row.name, definition: definitionOf(row) };
      const r = row.remote_version == null ? await client.create({ id: row.id, ...body }) : await client.update(row.id, row.remote_version, body);
      const copy = await this.db.transaction().execute(async (trx) => {
        if (r.ok) {
          await trx.updateTable('templates').set(remoteFields(r.template)).where('id', '=', row.id).execute();
          await done(trx);
          return undefined;
        }
        // The server moved on: its copy becomes the template, the local edit is kept beside it.
        const local = await trx.selectFrom('templates').selectAll().where('id', '=', row.id).executeTakeFirst();
        const kept = local ? await this.keepLocalCopy(trx, local) : null;
        await this.applyServerCopy(trx, r.current);
        result.conflicts.push(await this.recordConflict(trx, r.current, kept));
        await trx.deleteFrom('sync_outbox').where('template_id', '=', row.id).execute();
        return kept;
      });
      // After the commit: an editor open on the template must show the team's version, and lists the copy.
      if (copy !== undefined) {
        this.ctx.bus.emit('templates.changed', { id: row.id, kind: 'updated' });
        if (copy) this.ctx.bus.emit('templates.changed', { id: copy.id, kind: 'created' });
      }
      result.pushed++;
    }
  }

  private async pull(client: SyncClient, result: SyncResult): Promise<void> {
    for (;;) {
      const link = await this.link();
      if (!link) return;
      const page = await client.feed(link.cursor);
      const changed: { id: string; kind: 'created' | 'updated' | 'deleted' }[] = [];
      await this.db.transaction().execute(async (trx) => {
        for (const item of page.items) {
          // A local change still queued wins here; its push meets the server's version and keeps both.
          const pending = await trx.selectFrom('sync_outbox').select('seq').where('template_id', '=', item.id).executeTakeFirst();
          if (pending) continue;
          const kind = await this.applyServerCopy(trx, item);
          if (kind) {
            changed.push({ id: item.id, kind });
            result.pulled++;
          }
        }
        await trx.updateTable('sync_link').set({ cursor: page.cursor }).where('id', '=', 1).execute();
      });
      for (const c of changed) this.ctx.bus.emit('templates.changed', c);
      if (!page.more || page.items.length === 0) return;
    }
  }

  /** Make the local template what the server says (a tombstone removes it). Local-only templates with the id are left alone. */
  private async applyServerCopy(trx: Trx, item: WireTemplate): Promise<'created' | 'updated' | 'deleted' | null> {
    const local = await trx.selectFrom('templates').selectAll().where('id', '=', item.id).executeTakeFirst();
    if (local && !local.shared) return null;
    if (item.deleted) {
      if (!local) return null;
      await trx.deleteFrom('templates').where('id', '=', item.id).execute();
      return 'deleted';
    }
    const doc = TemplateDocument.safeParse({ ...item.definition, name: item.name });
    if (!doc.success) {
      this.ctx.log.warn({ template: item.id }, 'sync: a shared template from the server is not a valid template; skipped');
      return null;
    }
    const d = doc.data;
    const name = await this.freeName(trx, d.name, item.id);
    const now = this.ctx.clock.now();
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
  private async freeName(trx: Trx, name: string, id: string): Promise<string> {
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? name : i === 2 ? `${name} (team)` : `${name} (team ${i - 1})`;
      const holder = await trx.selectFrom('templates').select('id').where('name', '=', candidate).executeTakeFirst();
      if (!holder || holder.id === id) return candidate;
    }
  }

  private async keepLocalCopy(trx: Trx, local: TemplatesTable): Promise<{ id: string; name: string }> {
    const now = this.ctx.clock.now();
    const name = await this.freeName(trx, `${local.name} (conflict ${stamp(now)})`, '');
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

  private async recordConflict(trx: Trx, server: WireTemplate, copy: { id: string; name: string } | null): Promise<SyncConflict> {
    const row: SyncConflictsTable = {
      id: newId('cfl'),
      template_id: server.id,
      template_name: server.name,
      copy_id: copy?.id ?? null,
      copy_name: copy?.name ?? null,
      server_version: server.version,
      server_deleted: server.deleted ? 1 : 0,
      at: this.ctx.clock.now(),
      dismissed: 0,
    };
    await trx.insertInto('sync_conflicts').values(row).execute();
    return toConflict(row);
  }
}
