import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response } from 'express';
import type { DossierCore } from '../core/core.ts';
import { DossierError, HTTP_STATUS_FOR_ERROR, isMethodName, unknownMethodError } from '../../preload/contract/index.ts';
import { hostGuard, tokenGuard } from './guards.ts';
import { localPathIn } from '../../preload/contract/local-paths.ts';
import type { Server } from 'node:http';

export interface ServeOptions {
  core: DossierCore;
  host?: string;
  port?: number;
  /** Built renderer; defaults to renderer/dist of the checkout. */
  staticDir?: string;
  token?: string;
  /** Extra routes (uploads, downloads) mounted under /api behind the same guards. */
  extend?: (api: express.Router) => void;
}

export interface RunningServer {
  url: string;
  /** URL with the token, what the user opens. */
  openUrl: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../renderer/dist', import.meta.url));

/** Browser mode: the contract over HTTP, core events over SSE, and the built renderer. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { core } = opts;
  const host = opts.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new DossierError('invalid_input', 'browser mode binds to the loopback interface only');
  }
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = opts.port ?? 0;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(hostGuard(() => port));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    // Every answer (API, SSE, static files, errors) carries the CSP, not only index.html: a script or SVG served
    // from here must not run with the page's rights either.
    res.setHeader('Content-Security-Policy', CSP);
    next();
  });

  const api = express.Router();
  api.use(tokenGuard(token, { allowQuery: false }));
  api.use(express.json({ limit: '20mb' }));

  api.post('/call/:method', async (req: Request, res: Response) => {
    const method = req.params.method;
    if (!isMethodName(method)) {
      sendError(res, unknownMethodError(method));
      return;
    }
    try {
      const localPath = localPathIn(method, req.body);
      if (localPath !== null) {
        throw new DossierError('forbidden', 'browser mode takes files as uploads only (POST /api/batches/upload), not local paths');
      }
      const result = await core.invoke(method, req.body);
      res.json({ result: result ?? null });
    } catch (e) {
      sendError(res, e);
    }
  });
  opts.extend?.(api);

  const events = express.Router();
  events.use(tokenGuard(token, { allowQuery: true }));
  events.get('/', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsub = core.bus.subscribe((e) => {
      // Unnamed messages carrying {name, payload}: one onmessage handler sees every event.
      res.write(`data: ${JSON.stringify(e)}\n\n`);
    });
    const beat = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(beat);
      unsub();
    });
  });

  app.use('/api/events', events);
  app.use('/api', api);
  app.use('/api', (_req, res) => sendError(res, new DossierError('not_found', 'no such API route')));
  // Malformed JSON and oversized bodies from express.json land here.
  app.use((err: { status?: number; type?: string; message?: string }, _req: Request, res: Response, _next: express.NextFunction) => {
    if (err.type === 'entity.too.large') sendError(res, new DossierError('payload_too_large', 'request body too large'));
    else if (err.status && err.status < 500) sendError(res, new DossierError('invalid_input', `malformed request: ${err.message ?? ''}`));
    else sendError(res, err);
  });

  // DOSSIER_STATIC_DIR lets parallel e2e runs each serve their own build.
  const staticDir = opts.staticDir ?? process.env.DOSSIER_STATIC_DIR ?? DEFAULT_STATIC_DIR;
  if (existsSync(join(staticDir, 'index.html'))) {
    app.use(express.static(staticDir, { index: false, maxAge: 0 }));
    app.get(/.*/, (_req, res) => {
      res.sendFile(join(staticDir, 'index.html'));
    });
  } else {
    app.get(/.*/, (_req, res) => {
      res.status(503).type('text').send('The renderer is not built. Run `npm run build:renderer` (npm start does it for you).');
    });
  }

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const hostForUrl = host === '::1' ? '[::1]' : host;
  const url = `http://${hostForUrl}:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export function sendError(res: Response, e: unknown): void {
  const err = DossierError.is(e) ? e : new DossierError('internal', e instanceof Error ? e.message : String(e));
  res.status(HTTP_STATUS_FOR_ERROR[err.code]).json({ error: err.toJSON() });
}
