import { Router } from 'express';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { adminOnly, callerOf } from '../http/auth.ts';
import { parse } from '../http/errors.ts';
import { Cursor, DEFAULT_PAGE, MAX_PAGE } from '../../../main/core/sync/wire.ts';

const Query = z.object({ since: Cursor.optional(), limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE) });

export function auditRouter(ctx: ServerContext): Router {
  const r = Router();
  r.get('/', adminOnly, async (req, res) => {
    const q = parse(Query, req.query);
    const since = Number(q.since ?? 0);
    const rows = await ctx.store.db
      .selectFrom('audit')
      .leftJoin('members', 'members.id', 'audit.member_id')
      .select(['audit.seq', 'audit.member_id', 'members.name as member_name', 'audit.action', 'audit.target_type', 'audit.target_id', 'audit.detail', 'audit.at'])
      .where('audit.team_id', '=', callerOf(res).teamId)
      .where('audit.seq', '>', since)
      .orderBy('audit.seq')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    res.json({
      items: page.map((a) => ({
        seq: Number(a.seq),
        member: a.member_id ? { id: a.member_id, name: a.member_name } : null,
        action: a.action,
        target: { type: a.target_type, id: a.target_id },
        detail: JSON.parse(a.detail) as unknown,
        at: new Date(Number(a.at)).toISOString(),
      })),
      cursor: String(page.length ? Number(page.at(-1)!.seq) : since),
      more: rows.length > q.limit,
    });
  });
  return r;
}
