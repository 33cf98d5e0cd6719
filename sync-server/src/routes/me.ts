import { Router } from 'express';
import type { ServerContext } from '../context.ts';
import { callerOf } from '../http/auth.ts';
import { toWireMember } from '../teams.ts';

export function meRouter(ctx: ServerContext): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const c = callerOf(res);
    const m = await ctx.store.db.selectFrom('members').selectAll().where('id', '=', c.memberId).executeTakeFirstOrThrow();
    res.json({ team: { id: c.teamId, name: c.teamName }, member: toWireMember(m) });
  });
  return r;
}
