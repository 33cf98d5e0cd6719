import { connect, type PeerCertificate } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import { ToolError } from '../types.ts';
import { classifyError } from '../errors.ts';
import type { ToolEgress } from '../../egress/egress.ts';
import { openTunnel } from '../../egress/tunnel.ts';
import { asUntrustedRefusal, assertReachable } from '../../egress/untrusted.ts';
import { guardedLookup } from '../../webhooks/delivery/ssrf.ts';

export interface CertInfo {
  subject: string | null;
  issuer: string | null;
  names: string[];
  validFrom: string | null;
  validTo: string | null;
  fingerprint256: string | null;
  selfSigned: boolean;
  authorized: boolean;
  authorizationError: string | null;
}

const str = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

/**
 * The certificate a TLS server presents, read without trusting it: a probe
 * wants the names on it even when it is self-signed or expired. Through a
 * proxy the handshake runs inside a tunnel (CONNECT or SOCKS5), so the site
 * sees the proxy's address and the certificate is the one it presents there.
 */
export async function fetchCertificate(host: string, port: number, timeoutMs: number, signal: AbortSignal, egress: ToolEgress): Promise<CertInfo> {
  let tunnel: Socket | undefined;
  assertReachable(egress, host);
  if (egress.config.mode !== 'direct') {
    try {
      tunnel = await openTunnel(egress, host, port, timeoutMs);
    } catch (e) {
      const err = classifyError(e, `${host}:${port}`);
      throw new ToolError(err.kind, `${err.message} (via ${egress.label})`, { host: `${host}:${port}`, cause: e });
    }
  }
  return new Promise((resolve, reject) => {
    const options = { servername: isIP(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] };
    // Directly, an untrusted run's name is resolved through the guard: no private address at connect time.
    const lookup = egress.guarded && !tunnel ? { lookup: guardedLookup() } : {};
    const socket = tunnel ? connect({ ...options, socket: tunnel }) : connect({ ...options, ...lookup, host, port });
    const done = (fn: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => done(() => reject(ToolError.transient(`TLS handshake with ${host}:${port} timed out`))), timeoutMs);
    const onAbort = () => done(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const c = socket.getPeerCertificate() as PeerCertificate;
      const names = (c.subjectaltname ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.startsWith('DNS:'))
        .map((s) => s.slice(4).toLowerCase());
      const info: CertInfo = {
        subject: str(c.subject?.CN),
        issuer: str(c.issuer?.CN) ?? str(c.issuer?.O),
        names: [...new Set(names)],
        validFrom: c.valid_from ? new Date(c.valid_from).toISOString() : null,
        validTo: c.valid_to ? new Date(c.valid_to).toISOString() : null,
        fingerprint256: c.fingerprint256 ?? null,
        selfSigned: Boolean(c.subject && c.issuer && JSON.stringify(c.subject) === JSON.stringify(c.issuer)),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
      };
      done(() => resolve(info));
    });
    socket.once('error', (e) => done(() => reject(asUntrustedRefusal(e) ?? classifyError(e, `${host}:${port}`))));
  });
}
