import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { ApiError, parse } from '../http/errors.ts';
import { changeTemplate, createTemplate, templateFeed, toWireTemplate } from '../templates-store.ts';
import { ClientId, CreateTemplateBody, Cursor, DEFAULT_PAGE, MAX_PAGE, UpdateTemplateBody } from '../../../main/core/sync/wire.ts';

const FeedQuery = z.object({ since: Cursor.optional(), limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE) });
const IdParam = z.object({ id: ClientId });

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; absent → 428; anything else → 400. */
function ifMatch(req: Request): number {
  const raw = req.get('if-match');
  if (raw === undefined) throw new ApiError('precondition_required', 'If-Match: <version> is required');
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!m) throw new ApiError('invalid_input', 'If-Match must be the version number the change is based on');
  return Number(m[1]);
}

export function templatesRouter(ctx: ServerContext): Router {
  const r = Router();
  const json = express.json({ limit: ctx.config.bodyLimit });
  const db = ctx.store.db;

  r.get('/', async (req, res) => {
    const q = parse(FeedQuery, req.query);
    res.json(await templateFeed(db, callerOf(res).teamId, Number(q.since ?? 0), q.limit));
  });

  r.post('/', json, async (req, res) => {
    const body = parse(CreateTemplateBody, req.body);
    const { row } = await createTemplate(db, callerOf(res), body, ctx.now());
    res.status(201).json(toWireTemplate(row));
  });

  r.put('/:id', json, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const version = ifMatch(req);
    const body = parse(UpdateTemplateBody, req.body);
    res.json(toWireTemplate(await changeTemplate(db, callerOf(res), id, version, body, ctx.now())));
  });

  r.delete('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const version = ifMatch(req);
    res.json(toWireTemplate(await changeTemplate(db, callerOf(res), id, version, null, ctx.now())));
  });
  return r;
}
