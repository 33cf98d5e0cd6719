/**
 * Content-Security-Policy the desktop shell adds as a response header to everything
 * the window's session loads over a protocol. The page itself also carries the meta
 * CSP in renderer/index.html; the app:// handler (app-protocol-handler.ts) sends it as a header on every answer.
 * The renderer talks to the core over IPC only, so it needs no network at all.
 */
export const DESKTOP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Parse a CSP string into directive → sources (used by the tests that keep the two policies in step). */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}
