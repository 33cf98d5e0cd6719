import type { Kysely } from 'kysely';
import type { CoreContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { SyncLinkTable } from './tables.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import type { SyncStatus } from '../../../preload/contract/sync.ts';
import { iso } from '../util/time.ts';
import { SyncClient } from './client.ts';
import { toConflict } from './conflicts.ts';

/** The link to a team server (one row): connecting, the status the Team section shows, disconnecting. */

export async function readLink(db: Kysely<Database>): Promise<SyncLinkTable | undefined> {
  return db.selectFrom('sync_link').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** A client for the linked server, with the token unsealed. */
export function linkClient(ctx: CoreContext, link: Pick<SyncLinkTable, 'server' | 'token_sealed'>, fetchImpl?: typeof fetch): SyncClient {
  return new SyncClient({ server: link.server, token: ctx.secrets.decrypt(link.token_sealed), fetch: fetchImpl });
}

/** Checks the token with the server (`/me`), then replaces the link; the same team keeps its cursors. */
export async function connectLink(ctx: CoreContext, given: string | undefined, token: string, fetchImpl?: typeof fetch): Promise<SyncStatus> {
  const server = (given ?? (await ctx.settings.get('sync.server'))).replace(/\/+$/, '');
  if (!server) throw new DossierError('invalid_input', 'no team server given, and the sync.server setting is empty (dossier sync connect --server URL)');
  const me = await new SyncClient({ server, token, fetch: fetchImpl }).me();
  const now = ctx.clock.now();
  const existing = await readLink(ctx.db);
  const sameTeam = existing && existing.team_id === me.team.id && existing.server === server;
  const row: SyncLinkTable = {
    id: 1,
    server,
    token_sealed: ctx.secrets.encrypt(token),
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
    events_cursor: sameTeam ? existing.events_cursor : await outboxHead(ctx.db),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sync_link').execute();
    await trx.insertInto('sync_link').values(row).execute();
  });
  // The setting is the URL last connected to: the next connect (or Settings → Team) offers it.
  if ((await ctx.settings.get('sync.server')) !== server) await ctx.settings.set('sync.server', server);
  ctx.bus.emit('sync.changed', { kind: 'connected' });
  return linkStatus(ctx);
}

export async function linkStatus(ctx: CoreContext): Promise<SyncStatus> {
  const [link, pending, shared, conflicts] = await Promise.all([
    readLink(ctx.db),
    ctx.db
      .selectFrom('sync_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('shared', '=', 1)
      .executeTakeFirstOrThrow(),
    ctx.db.selectFrom('sync_conflicts').selectAll().where('dismissed', '=', 0).orderBy('at', 'desc').limit(100).execute(),
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

/** Forgets the link and the changes not yet pushed; shared templates stay as local ones. */
export async function disconnectLink(ctx: CoreContext): Promise<{ disconnected: boolean; droppedChanges: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const link = await trx.selectFrom('sync_link').select('id').executeTakeFirst();
    const dropped = await trx.deleteFrom('sync_outbox').executeTakeFirst();
    await trx.deleteFrom('sync_link').execute();
    await trx
      .updateTable('templates')
      .set({ shared: 0, remote_version: null, remote_updated_by: null, remote_updated_at: null })
      .where('shared', '=', 1)
      .execute();
    if (link) ctx.bus.emit('sync.changed', { kind: 'disconnected' });
    return { disconnected: Boolean(link), droppedChanges: Number(dropped.numDeletedRows) };
  });
}

/** The last event in the outbox: a new link publishes from here on. */
async function outboxHead(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(r?.seq ?? 0);
}

/** Template changes waiting to be pushed. */
export async function pendingCount(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('sync_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
