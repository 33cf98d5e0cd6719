import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Browser-mode guards. Host must be our loopback name (DNS rebinding), Origin
 * when present must be ourselves (CSRF), and every API call carries the
 * per-run token.
 */
export function hostGuard(getPort: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const port = getPort();
    const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowed.has(host)) {
      res.status(403).json({ error: { code: 'forbidden', message: 'foreign Host header refused' } });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      let ok = false;
      try {
        const u = new URL(origin);
        ok = u.protocol === 'http:' && allowed.has(u.host.toLowerCase());
      } catch {
        ok = false;
      }
      if (!ok) {
        res.status(403).json({ error: { code: 'forbidden', message: 'foreign Origin refused' } });
        return;
      }
    } else if (origin === 'null') {
      res.status(403).json({ error: { code: 'forbidden', message: 'opaque Origin refused' } });
      return;
    }
    next();
  };
}

export function tokenGuard(token: string, opts: { allowQuery: boolean }) {
  const expected = Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const auth = req.headers.authorization;
    let given: string | undefined;
    if (auth?.startsWith('Bearer ')) given = auth.slice(7);
    else if (typeof req.headers['x-dossier-token'] === 'string') given = req.headers['x-dossier-token'];
    else if (opts.allowQuery && typeof req.query.token === 'string') given = req.query.token;
    const buf = Buffer.from(given ?? '');
    if (!given || buf.length !== expected.length || !timingSafeEqual(buf, expected)) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'missing or wrong token' } });
      return;
    }
    next();
  };
}
