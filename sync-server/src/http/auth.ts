import type { RequestHandler, Response } from 'express';
import type { Caller, ServerContext } from '../context.ts';
import { hashToken, TOKEN_RE } from '../tokens.ts';
import { consume } from '../rate-limit.ts';
import { sendError } from './errors.ts';

const LAST_USED_EVERY_MS = 60_000;

/**
 * `Authorization: Bearer dst_...` → the caller, looked up on every request (so a
 * revoked token stops working at once, on every instance). Per-member rate limit after.
 */
export function authenticate(ctx: ServerContext): RequestHandler {
  return async (req, res, next) => {
    try {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      const token = m?.[1];
      const row =
        token && TOKEN_RE.test(token)
          ? await ctx.store.db
              .selectFrom('members')
              .innerJoin('teams', 'teams.id', 'members.team_id')
              .select(['members.id', 'members.name', 'members.role', 'members.team_id', 'members.revoked_at', 'members.last_used_at', 'teams.name as team_name'])
              .where('members.token_hash', '=', hashToken(token))
              .executeTakeFirst()
          : undefined;
      if (!row || row.revoked_at !== null) {
        const wait = await consume(ctx.limits.authFailures, req.ip ?? 'unknown');
        if (wait !== null) return tooMany(res, wait);
        return sendError(res, 'unauthorized', token ? 'the token is not valid (unknown or revoked)' : 'Authorization: Bearer <token> is required');
      }
      const wait = await consume(ctx.limits.member, row.id);
      if (wait !== null) return tooMany(res, wait);
      const now = ctx.now();
      if (row.last_used_at === null || now - Number(row.last_used_at) >= LAST_USED_EVERY_MS) {
        // Conditional, so several instances do not all write within the same minute.
        await ctx.store.db
          .updateTable('members')
          .set({ last_used_at: now })
          .where('id', '=', row.id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_EVERY_MS)]))
          .execute();
      }
      const caller: Caller = { teamId: row.team_id, teamName: row.team_name, memberId: row.id, memberName: row.name, role: row.role };
      res.locals.caller = caller;
      next();
    } catch (e) {
      next(e);
    }
  };
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

export const adminOnly: RequestHandler = (_req, res, next) => {
  if (callerOf(res).role !== 'admin') return sendError(res, 'forbidden', 'only a team admin can do this');
  next();
};

function tooMany(res: Response, seconds: number): void {
  res.set('Retry-After', String(seconds));
  sendError(res, 'rate_limited', `too many requests; retry in ${seconds} s`);
}
