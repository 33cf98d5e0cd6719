import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { ServerContext } from './context.ts';
import { authenticate } from './http/auth.ts';
import { errorHandler, sendError } from './http/errors.ts';
import { meRouter } from './routes/me.ts';
import { membersRouter } from './routes/members.ts';
import { templatesRouter } from './routes/templates.ts';
import { auditRouter } from './routes/audit.ts';
import { channelsRouter } from './routes/channels.ts';
import { hooksRouter } from './routes/hooks.ts';
import { webhooksRouter } from './routes/webhooks.ts';
import { eventsRouter } from './routes/events.ts';

/** The Express app: operations routes without auth, then one router per area under /api/v1. */
export function createApp(ctx: ServerContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: ctx.log,
      // The bearer token must never reach a log line.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      // A channel URL's token is a secret too.
      serializers: {
        req: (r: { url?: string; params?: unknown }) => ({ ...r, url: r.url?.replace(/^\/hooks\/[^/?]+/, '/hooks/[redacted]'), params: undefined }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(ctx.metrics.middleware);

  app.get('/healthz', async (_req, res) => {
    if (await ctx.store.ping()) res.json({ status: 'ok' });
    else sendError(res, 'unavailable', 'the database does not answer');
  });
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });

  app.use('/hooks', hooksRouter(ctx));

  const api = express.Router();
  api.use(authenticate(ctx));
  api.use('/me', meRouter(ctx));
  api.use('/members', membersRouter(ctx));
  api.use('/templates', templatesRouter(ctx));
  api.use('/audit', auditRouter(ctx));
  api.use('/channels', channelsRouter(ctx));
  api.use('/webhooks', webhooksRouter(ctx));
  api.use('/events', eventsRouter(ctx));
  api.use((_req, res) => sendError(res, 'not_found', 'no such route'));
  app.use('/api/v1', api);

  app.use((_req, res) => sendError(res, 'not_found', 'no such route'));
  app.use(errorHandler(ctx.log));
  return app;
}
