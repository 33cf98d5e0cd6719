/**
 * The counting HTTP proxy and SOCKS5 server of the egress tests as a process
 * of their own, so a benchmark's figure does not share the CPU they burn (a
 * real proxy is another machine). Prints one line `{"http": port, "socks": port}`
 * once both listen; on SIGUSR2 prints `{"httpConnections", "socksConnections"}`;
 * stops on SIGTERM.
 * Usage: node --import tsx bench/lib/proxy-fixture-server.ts
 */
import { startHttpProxy, startSocksProxy } from '../../main/core/testing/fixtures/proxy-servers.ts';

// 127.0.0.1 out: the bench's site fixture does not care who the peer is, and not every machine routes 127.0.0.2.
const http = await startHttpProxy({ outboundAddress: '127.0.0.1' });
const socks = await startSocksProxy({ outboundAddress: '127.0.0.1' });
process.stdout.write(JSON.stringify({ http: http.port, socks: socks.port }) + '\n');
process.on('SIGUSR2', () =>
  process.stdout.write(JSON.stringify({ httpConnections: http.connections, httpTargets: http.targets.length, socksConnections: socks.connections }) + '\n'),
);
process.on('SIGTERM', () => void Promise.all([http.close(), socks.close()]).then(() => process.exit(0)));
