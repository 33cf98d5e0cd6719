import express, { Router, type Request, type Response } from 'express';
import type { ServerContext } from '../context.ts';
import { sendError } from '../http/errors.ts';
import { consume } from '../rate-limit.ts';
import { TOKEN_RE } from '../tokens.ts';
import { channelByToken, storeRequest } from '../channels/store.ts';

/** Pairs in arrival order with the names as sent: what a signature or a forward needs, nothing normalised. */
function headerPairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/**
 * `POST /hooks/:token`, public (SPEC §3.9): the per-source limit first (it also
 * slows anyone guessing tokens), then the channel, its own limit, and the body
 * read raw (never parsed or re-serialised: a provider's signature must still verify
 * on the desktop). 202 only once the row is committed.
 */
export function hooksRouter(ctx: ServerContext): Router {
  const r = Router();
  // inflate: false keeps the bytes as sent; a compressed body is refused rather than silently changed.
  const raw = express.raw({ type: () => true, limit: ctx.config.bodyLimit, inflate: false });
  const count = (outcome: string) => ctx.metrics.channelRequests.inc({ outcome });

  const tooMany = (req: Request, res: Response, seconds: number, what: string) => {
    req.resume();
    count('rate_limited');
    res.set('Retry-After', String(seconds));
    sendError(res, 'rate_limited', `too many requests ${what}; retry in ${seconds} s`);
  };

  r.post('/:token', async (req, res, next) => {
    try {
      const receivedAt = ctx.now();
      const source = req.ip ?? 'unknown';
      let wait = await consume(ctx.limits.hookSource, source);
      if (wait !== null) return tooMany(req, res, wait, `from ${source}`);
      const token = req.params.token;
      const ch = TOKEN_RE.test(token) ? await channelByToken(ctx.store.db, token) : undefined;
      if (!ch) {
        req.resume();
        count('not_found');
        return sendError(res, 'not_found', 'no such channel');
      }
      wait = await consume(ctx.limits.channel, ch.id);
      if (wait !== null) return tooMany(req, res, wait, 'to this channel');
      raw(req, res, (err?: unknown) => {
        if (err) {
          count((err as { type?: string }).type === 'entity.too.large' ? 'too_large' : 'invalid');
          return next(err);
        }
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const url = req.originalUrl;
        const q = url.indexOf('?');
        storeRequest(ctx.store.db, ctx.channelSignal, ch, {
          method: req.method,
          path: `/hooks/${ch.id}`,
          query: q < 0 ? '' : url.slice(q + 1),
          headers: headerPairs(req.rawHeaders),
          body,
          sourceIp: req.ip ?? null,
          receivedAt,
        }).then(
          (row) => {
            count('stored');
            res.status(202).json({ id: row.id });
          },
          (e: unknown) => next(e),
        );
      });
    } catch (e) {
      next(e);
    }
  });
  return r;
}
