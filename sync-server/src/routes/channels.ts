import express, { Router } from 'express';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { parse } from '../http/errors.ts';
import { createChannel, deleteChannel, findChannel, listChannels, toWireChannel } from '../channels/store.ts';
import { lastEventId, openStream } from '../channels/stream.ts';
import { ChannelId, CreateChannelBody } from '../../../main/core/sync/wire.ts';

const IdParam = z.object({ id: ChannelId });

/** Team channels: any member creates, lists and streams; an admin or the channel's creator deletes. */
export function channelsRouter(ctx: ServerContext): Router {
  const r = Router();
  const json = express.json({ limit: '16kb' });
  const db = ctx.store.db;

  r.post('/', json, async (req, res) => {
    const body = parse(CreateChannelBody, req.body);
    const { channel, token } = await createChannel(db, callerOf(res), body.name, ctx.now());
    res.status(201).json(toWireChannel(channel, 0, `${ctx.config.publicUrl}/hooks/${token}`));
  });

  r.get('/', async (_req, res) => {
    res.json({ items: await listChannels(db, callerOf(res).teamId) });
  });

  r.delete('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const ch = await deleteChannel(db, ctx.channelSignal, callerOf(res), id, ctx.now());
    res.json({ id: ch.id, deleted: true });
  });

  r.get('/:id/stream', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const after = lastEventId(req);
    const ch = await findChannel(db, callerOf(res).teamId, id);
    openStream(ctx, ch, req, res, after);
  });
  return r;
}
