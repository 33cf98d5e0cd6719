import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME, contentTypeOf, resolveAppPath } from './app-protocol.ts';
import { DESKTOP_CSP } from './csp.ts';

/** Before `ready`: `app://` is a standard, secure origin (so `'self'`, fetch and storage work as on https). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer (`rendererDir`) on `app://dossier/`, every answer with the CSP header. */
export function serveAppProtocol(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404, headers: { 'content-security-policy': DESKTOP_CSP } });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { 'content-type': contentTypeOf(file), 'content-security-policy': DESKTOP_CSP, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('not found', { status: 404, headers: { 'content-security-policy': DESKTOP_CSP } });
    }
  });
}
