import { connect as tlsConnect } from 'node:tls';
import { isIP, type Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { undici } from '../util/undici.ts';
import type { buildConnector } from 'undici';
import { SocksClient } from 'socks';
import { bareHost, proxyAuthorization, type ToolEgress } from './egress.ts';
import { guardedConnector, systemResolver } from '../webhooks/delivery/ssrf.ts';

/**
 * One pooled undici dispatcher per egress (and TLS strictness): direct is a
 * plain keep-alive Agent, an HTTP(S) proxy undici's ProxyAgent (CONNECT
 * tunnels, pooled per origin), SOCKS5 an Agent whose connector opens each
 * connection through the `socks` library. Pool settings are the same for all.
 */

const POOL = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 } as const;
const CONNECT_TIMEOUT_MS = 10_000;

const pools = new Map<string, Dispatcher>();

export function dispatcherFor(egress: ToolEgress, insecureTls: boolean): Dispatcher {
  const key = `${egress.key}|${insecureTls ? 'insecure' : 'strict'}`;
  let d = pools.get(key);
  if (!d) {
    d = build(egress, insecureTls);
    pools.set(key, d);
  }
  return d;
}

function build(egress: ToolEgress, insecureTls: boolean): Dispatcher {
  const c = egress.config;
  const tls = insecureTls ? { rejectUnauthorized: false } : {};
  // Guarded (untrusted batch): every address the name resolves to is checked inside the connect.
  if (c.mode === 'direct') return new (undici().Agent)({ ...POOL, connect: egress.guarded ? guardedConnector(systemResolver, tls) : tls });
  if (c.mode === 'http' || c.mode === 'https') {
    return new (undici().ProxyAgent)({
      ...POOL,
      uri: `${c.mode}://${c.host.includes(':') && !c.host.startsWith('[') ? `[${c.host}]` : c.host}:${c.port}`,
      token: proxyAuthorization(egress),
      requestTls: tls,
      // Plain http targets are tunnelled too, so the proxy sees the same thing for every request.
      proxyTunnel: true,
    });
  }
  return new (undici().Agent)({ ...POOL, connect: socksConnector(egress, insecureTls) });
}

/** Opens a TCP stream to host:port through the SOCKS5 proxy; the proxy resolves the name (socks5h). */
export async function socksStream(egress: ToolEgress, host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Socket> {
  const c = egress.config;
  if (c.mode !== 'socks5') throw new Error('not a SOCKS5 egress');
  const { socket } = await SocksClient.createConnection({
    proxy: { host: bareHost(c.host), port: c.port, type: 5, userId: egress.auth?.username, password: egress.auth?.password },
    command: 'connect',
    // A name is sent as a name (address type 3): no local DNS query for the target.
    destination: { host: bareHost(host), port },
    timeout: timeoutMs,
  });
  return socket;
}

function socksConnector(egress: ToolEgress, insecureTls: boolean): buildConnector.connector {
  return (opts, callback) => {
    const https = opts.protocol === 'https:';
    const host = bareHost(opts.hostname);
    const port = Number(opts.port) || (https ? 443 : 80);
    socksStream(egress, host, port).then(
      (socket) => {
        if (!https) return callback(null, socket);
        const servername = opts.servername ?? (isIP(host) ? undefined : host);
        const secure = tlsConnect({ socket, servername, rejectUnauthorized: !insecureTls, ALPNProtocols: ['http/1.1'] });
        const onError = (e: Error) => {
          secure.destroy();
          callback(e, null);
        };
        secure.once('error', onError);
        secure.once('secureConnect', () => {
          secure.off('error', onError);
          callback(null, secure);
        });
      },
      (e: unknown) => callback(socksError(e, egress.label), null),
    );
  };
}

/** SocksClientError messages say what failed but carry no code; give them one the error classifier knows. */
function socksError(e: unknown, label: string): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  const msg = err.message;
  const code = /ECONNREFUSED|connect ECONNREFUSED/.test(msg) ? 'ECONNREFUSED' : /timed out|Proxy connection timed out/i.test(msg) ? 'ETIMEDOUT' : 'ECONNRESET';
  return Object.assign(new Error(`SOCKS5 proxy ${label}: ${msg}`, { cause: e }), { code });
}

export { socksError };

/** Close every pooled connection (tests, shutdown). The next request opens new pools. */
export async function closeDispatchers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
