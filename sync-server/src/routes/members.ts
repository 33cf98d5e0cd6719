import express, { Router } from 'express';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { adminOnly, callerOf } from '../http/auth.ts';
import { ApiError, parse } from '../http/errors.ts';
import { insertMember, toWireMember } from '../teams.ts';
import { writeAudit } from '../audit.ts';
import { ROLES } from '../../../main/core/sync/wire.ts';

const CreateMember = z.object({ name: z.string().trim().min(1).max(200), role: z.enum(ROLES) });
const IdParam = z.object({ id: z.string().min(1).max(100) });

export function membersRouter(ctx: ServerContext): Router {
  const r = Router();
  const json = express.json({ limit: '16kb' });

  r.get('/', async (_req, res) => {
    const rows = await ctx.store.db.selectFrom('members').selectAll().where('team_id', '=', callerOf(res).teamId).orderBy('created_at').orderBy('id').execute();
    res.json({ items: rows.map(toWireMember) });
  });

  r.post('/', adminOnly, json, async (req, res) => {
    const body = parse(CreateMember, req.body);
    const c = callerOf(res);
    const now = ctx.now();
    const out = await ctx.store.db.transaction().execute(async (trx) => {
      const created = await insertMember(trx, c.teamId, body.name, body.role, now);
      await writeAudit(trx, { teamId: c.teamId, memberId: c.memberId, action: 'member.create', targetType: 'member', targetId: created.member.id, detail: { name: body.name, role: body.role }, at: now });
      return created;
    });
    res.status(201).json({ member: toWireMember(out.member), token: out.token });
  });

  r.delete('/:id', adminOnly, async (req, res) => {
    const { id } = parse(IdParam, req.params);
    const c = callerOf(res);
    const now = ctx.now();
    const member = await ctx.store.db.transaction().execute(async (trx) => {
      const m = await trx.selectFrom('members').selectAll().where('team_id', '=', c.teamId).where('id', '=', id).executeTakeFirst();
      if (!m) throw new ApiError('not_found', `no member ${id} in this team`);
      if (m.revoked_at !== null) return m;
      if (m.role === 'admin') {
        const admins = await trx.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', c.teamId).where('role', '=', 'admin').where('revoked_at', 'is', null).executeTakeFirstOrThrow();
        if (Number(admins.n) <= 1) throw new ApiError('conflict', 'this is the team\'s last admin; make another admin first');
      }
      await trx.updateTable('members').set({ revoked_at: now }).where('team_id', '=', c.teamId).where('id', '=', id).execute();
      await writeAudit(trx, { teamId: c.teamId, memberId: c.memberId, action: 'member.revoke', targetType: 'member', targetId: id, detail: { name: m.name }, at: now });
      return { ...m, revoked_at: now };
    });
    res.json({ member: toWireMember(member) });
  });
  return r;
}
