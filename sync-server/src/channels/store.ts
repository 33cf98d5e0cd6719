import { sql, type Kysely } from 'kysely';
import type { ChannelRequestsTable, ChannelsTable, SyncDatabase } from '../db/tables.ts';
import { nextSeq } from '../db/dialect.ts';
import { writeAudit } from '../audit.ts';
import { ApiError } from '../http/errors.ts';
import { hashToken, newId, newToken } from '../tokens.ts';
import type { Caller } from '../context.ts';
import type { ChannelRequestEvent, WireChannel } from '../../../main/core/sync/wire.ts';
import type { ChannelSignal } from './signal.ts';

const iso = (t: number) => new Date(Number(t)).toISOString();

export function toWireChannel(c: ChannelsTable, requests: number, url?: string): WireChannel {
  return { id: c.id, name: c.name, created_at: iso(c.created_at), created_by: c.created_by, requests, ...(url ? { url } : {}) };
}

export function toRequestEvent(r: ChannelRequestsTable): ChannelRequestEvent {
  return {
    id: r.id,
    method: r.method,
    path: r.path,
    query: r.query,
    headers: JSON.parse(r.headers) as [string, string][],
    body_base64: Buffer.from(r.body).toString('base64'),
    received_at: iso(r.received_at),
  };
}

/** A channel and its token; the token (the secret part of its URL) is returned once and only its hash kept. */
export async function createChannel(db: Kysely<SyncDatabase>, c: Caller, name: string, now: number): Promise<{ channel: ChannelsTable; token: string }> {
  const token = newToken();
  const channel: ChannelsTable = { id: newId('chn'), team_id: c.teamId, name, token_hash: hashToken(token), created_by: c.memberName, created_at: now };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('channels').values(channel).execute();
    await writeAudit(trx, {
      teamId: c.teamId,
      memberId: c.memberId,
      action: 'channel.create',
      targetType: 'channel',
      targetId: channel.id,
      detail: { name },
      at: now,
    });
  });
  return { channel, token };
}

export async function listChannels(db: Kysely<SyncDatabase>, teamId: string): Promise<WireChannel[]> {
  const rows = await db
    .selectFrom('channels')
    .selectAll('channels')
    .select((eb) =>
      eb.selectFrom('channel_requests').select(eb.fn.countAll<number>().as('n')).whereRef('channel_requests.channel_id', '=', 'channels.id').as('requests'),
    )
    .where('team_id', '=', teamId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => toWireChannel(r, Number(r.requests ?? 0)));
}

/** The caller's team's channel, or 404 (another team's id is not found, SPEC §3.9). */
export async function findChannel(db: Kysely<SyncDatabase>, teamId: string, id: string): Promise<ChannelsTable> {
  const ch = await db.selectFrom('channels').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();
  if (!ch) throw new ApiError('not_found', `no channel ${id} in this team`);
  return ch;
}

/** Delete with its stored requests; an admin or the member who made it. Open streams of it are woken and end. */
export async function deleteChannel(db: Kysely<SyncDatabase>, signal: ChannelSignal, c: Caller, id: string, now: number): Promise<ChannelsTable> {
  const ch = await db.transaction().execute(async (trx) => {
    const ch = await trx.selectFrom('channels').selectAll().where('team_id', '=', c.teamId).where('id', '=', id).executeTakeFirst();
    if (!ch) throw new ApiError('not_found', `no channel ${id} in this team`);
    if (c.role !== 'admin' && ch.created_by !== c.memberName)
      throw new ApiError('forbidden', 'only a team admin or the member who made the channel can delete it');
    await trx.deleteFrom('channel_requests').where('channel_id', '=', id).execute();
    await trx.deleteFrom('channels').where('id', '=', id).execute();
    await writeAudit(trx, {
      teamId: c.teamId,
      memberId: c.memberId,
      action: 'channel.delete',
      targetType: 'channel',
      targetId: id,
      detail: { name: ch.name },
      at: now,
    });
    await signal.notifyIn(trx, id);
    return ch;
  });
  signal.committed(id);
  return ch;
}

export async function channelByToken(db: Kysely<SyncDatabase>, token: string): Promise<ChannelsTable | undefined> {
  return db.selectFrom('channels').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
}

export interface IncomingRequest {
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: Buffer;
  sourceIp: string | null;
  receivedAt: number;
}

/**
 * Store one request in the team's sequence. The caller answers 202 only after
 * this resolves, i.e. after the commit; the stream is woken after it too.
 */
export async function storeRequest(db: Kysely<SyncDatabase>, signal: ChannelSignal, ch: ChannelsTable, r: IncomingRequest): Promise<ChannelRequestsTable> {
  const row = await db.transaction().execute(async (trx) => {
    const seq = await nextSeq(trx, ch.team_id);
    const row: ChannelRequestsTable = {
      team_id: ch.team_id,
      seq,
      id: newId('chr'),
      channel_id: ch.id,
      method: r.method,
      path: r.path,
      query: r.query,
      headers: JSON.stringify(r.headers),
      body: r.body,
      size: r.body.length,
      source_ip: r.sourceIp,
      received_at: r.receivedAt,
    };
    await trx.insertInto('channel_requests').values(row).execute();
    await signal.notifyIn(trx, ch.id);
    return row;
  });
  signal.committed(ch.id);
  return row;
}

/** Requests of a channel after `after`, oldest first, at most `limit`. */
export async function requestsAfter(db: Kysely<SyncDatabase>, channelId: string, after: number, limit: number): Promise<ChannelRequestsTable[]> {
  return db.selectFrom('channel_requests').selectAll().where('channel_id', '=', channelId).where('seq', '>', after).orderBy('seq').limit(limit).execute();
}

/** Still there? (A deleted channel's open streams end.) */
export async function channelExists(db: Kysely<SyncDatabase>, id: string): Promise<boolean> {
  return Boolean(
    await db
      .selectFrom('channels')
      .select(sql<number>`1`.as('x'))
      .where('id', '=', id)
      .executeTakeFirst(),
  );
}
