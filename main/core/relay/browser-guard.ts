import type { IncomingHttpHeaders } from 'node:http';

/**
 * Why this request came from a web browser, or null. Webhook senders never
 * send `Origin` or `Sec-Fetch-Site`; browsers send `Origin` on every POST
 * (also `mode: 'no-cors'`) and `Sec-Fetch-Site` on every request, so any
 * page the user visits could otherwise drive an endpoint at 127.0.0.1.
 */
export function browserOrigin(h: IncomingHttpHeaders): string | null {
  if (h.origin !== undefined) return `a request with an Origin header (${String(h.origin).slice(0, 100)})`;
  const site = h['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `a request a web page sent (Sec-Fetch-Site: ${site})`;
  return null;
}

/** Bytes kept of the body of a request the relay rejected (SPEC §5): enough to diagnose, too little to store a flood. */
export const REJECTED_BODY_KEEP = 4096;
