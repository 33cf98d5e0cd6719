import { extname, join, normalize, relative, sep } from 'node:path';

/**
 * The renderer is served from `app://dossier/…` rather than `file://` (SPEC §5): a `file://` page is same-origin with
 * every file on the disk as far as CSP `'self'` goes, and Chromium gives `file://` extra privileges. Under `app://` the
 * CSP's `'self'` covers only the built renderer. This module is the pure part (URL → file); the Electron side is
 * `app-protocol-handler.ts`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'dossier';
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The file under `root` an `app://dossier/…` URL names, or null (other host, traversal, malformed). */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const rel = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^[/\\]+/, '');
  const file = join(root, rel);
  const back = relative(root, file);
  if (!back || back.startsWith('..') || back.split(sep).includes('..')) return null;
  return file;
}

export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
