import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { bareHost, proxyAuthorization, type ToolEgress } from './egress.ts';
import { socksStream, socksError } from './dispatcher.ts';

/**
 * A raw TCP stream to host:port through the egress proxy, for work that is not
 * an HTTP request (reading a TLS certificate). HTTP(S) proxies get a CONNECT
 * request; SOCKS5 goes through the `socks` library. Direct is not handled
 * here: callers connect themselves.
 */
export async function openTunnel(egress: ToolEgress, host: string, port: number, timeoutMs: number): Promise<Socket> {
  const c = egress.config;
  if (c.mode === 'direct') throw new Error('openTunnel needs a proxy egress');
  if (c.mode === 'socks5') {
    try {
      return await socksStream(egress, host, port, timeoutMs);
    } catch (e) {
      throw socksError(e, egress.label);
    }
  }
  const proxyHost = bareHost(c.host);
  const sock: Socket = c.mode === 'https' ? tlsConnect({ host: proxyHost, port: c.port, servername: proxyHost }) : netConnect({ host: proxyHost, port: c.port });
  return new Promise<Socket>((resolve, reject) => {
    const target = `${host.includes(':') ? `[${bareHost(host)}]` : host}:${port}`;
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => fail(Object.assign(new Error(`proxy ${egress.label} did not answer CONNECT ${target} in time`), { code: 'ETIMEDOUT' })), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    sock.once('error', fail);
    sock.once(c.mode === 'https' ? 'secureConnect' : 'connect', () => {
      const auth = proxyAuthorization(egress);
      sock.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    });
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 16 * 1024) fail(new Error(`proxy ${egress.label} sent an oversized CONNECT answer`));
        return;
      }
      sock.off('data', onData);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(buf.subarray(0, end).toString('latin1'))?.[1];
      if (status !== '200') return fail(Object.assign(new Error(`proxy ${egress.label} refused CONNECT ${target} (HTTP ${status ?? '?'})`), { code: status === '407' ? 'EPROXYAUTH' : 'ECONNRESET' }));
      clearTimeout(timer);
      sock.off('error', fail);
      const rest = buf.subarray(end + 4);
      if (rest.length) sock.unshift(rest);
      resolve(sock);
    };
    sock.on('data', onData);
  });
}
