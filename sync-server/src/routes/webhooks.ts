import express, { Router } from 'express';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { parse } from '../http/errors.ts';
import { CreateTeamWebhook, DeliveriesQuery, UpdateTeamWebhook, toWireDelivery, toWireWebhook } from '../webhooks/wire.ts';
import { createWebhook, deleteWebhook, findWebhook, listDeliveries, replayDelivery, updateWebhook, webhookStats } from '../webhooks/store.ts';
import { testDelivery } from '../webhooks/test-delivery.ts';

const IdParam = z.object({ id: z.string().min(1).max(100) });
const TestBody = z.object({ data: z.unknown().optional() }).optional();

/** Team webhooks (SPEC §3.9 routes table); every query is scoped to the caller's team. */
export function webhooksRouter(ctx: ServerContext): Router {
  const r = Router();
  const json = express.json({ limit: '64kb' });
  const db = ctx.store.db;

  const withStats = async (teamId: string, rows: Awaited<ReturnType<typeof findWebhook>>[]) => {
    const stats = await webhookStats(
      db,
      teamId,
      rows.map((w) => w.id),
    );
    return rows.map((w) => toWireWebhook(w, stats.get(w.id)!));
  };

  r.get('/', async (_req, res) => {
    const teamId = callerOf(res).teamId;
    const rows = await db.selectFrom('team_webhooks').selectAll().where('team_id', '=', teamId).orderBy('created_at').orderBy('id').execute();
    res.json({ items: await withStats(teamId, rows) });
  });

  r.post('/', json, async (req, res) => {
    const body = parse(CreateTeamWebhook, req.body);
    const c = callerOf(res);
    const { row, secret } = await createWebhook(db, c, body, ctx.now());
    const [wire] = await withStats(c.teamId, [row]);
    // The secret is shown this once.
    res.status(201).json({ ...wire, secret });
  });

  r.post('/deliveries/:id/replay', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const row = await replayDelivery(db, callerOf(res), id, ctx.now());
    ctx.deliveries.worker.nudge();
    res.status(202).json(toWireDelivery(row));
  });

  r.get('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const c = callerOf(res);
    const [wire] = await withStats(c.teamId, [await findWebhook(db, c.teamId, id)]);
    res.json(wire);
  });

  r.patch('/:id', json, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const body = parse(UpdateTeamWebhook, req.body);
    const c = callerOf(res);
    const row = await updateWebhook(db, c, id, body, ctx.now());
    ctx.deliveries.worker.forgetWebhook(id);
    if (body.active) ctx.deliveries.worker.nudge();
    const [wire] = await withStats(c.teamId, [row]);
    res.json(wire);
  });

  r.delete('/:id', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    await deleteWebhook(db, callerOf(res), id, ctx.now());
    ctx.deliveries.worker.forgetWebhook(id);
    res.json({ deleted: true, id });
  });

  r.get('/:id/deliveries', async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const q = parse(DeliveriesQuery, req.query);
    const { rows, attempts } = await listDeliveries(db, callerOf(res).teamId, id, q);
    res.json({
      items: rows.map((d) =>
        toWireDelivery(
          d,
          attempts.filter((a) => a.delivery_id === d.id),
        ),
      ),
    });
  });

  r.post('/:id/test', json, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const body = parse(TestBody, req.body);
    const c = callerOf(res);
    const hook = await findWebhook(db, c.teamId, id);
    const data = body?.data ?? { message: 'This is a test delivery from the Dossier team server.', team: c.teamName };
    res.json(
      await testDelivery(db, ctx.store.dialect, hook, data, {
        worker: ctx.deliveries.worker,
        delivery: ctx.deliveries.options,
        version: ctx.deliveries.version,
        now: ctx.now,
      }),
    );
  });
  return r;
}
