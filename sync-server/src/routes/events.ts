import express, { Router } from 'express';
import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { parse } from '../http/errors.ts';
import { PublishEventBody } from '../../../main/core/sync/wire.ts';
import { publishEvent } from '../webhooks/events.ts';

/** `POST /api/v1/events`: 202 for a new event (its deliveries are stored with it), 200 `{duplicate: true}` for an id seen before. */
export function eventsRouter(ctx: ServerContext): Router {
  const r = Router();
  r.post('/', express.json({ limit: ctx.config.bodyLimit }), async (req, res) => {
    const body = parse(PublishEventBody, req.body);
    const out = await publishEvent(ctx.store.db, callerOf(res), body, ctx.now());
    if ('duplicate' in out) return void res.status(200).json(out);
    if (out.deliveries > 0) ctx.deliveries.worker.nudge();
    res.status(202).json(out);
  });
  return r;
}
