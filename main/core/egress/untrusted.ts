import { isIP } from 'node:net';
import { ToolError } from '../tools/types.ts';
import { refusal, SsrfBlockedError } from '../webhooks/delivery/ssrf.ts';
import { bareHost, type ToolEgress } from './egress.ts';

/**
 * Runs of an untrusted batch (its inputs came from a relay rule's webhook sender, SPEC §5) use a guarded egress:
 * directly, every resolved address is checked at connect time (`guardedConnector`, so DNS rebinding gains nothing);
 * through a proxy, the proxy resolves names, so what can be checked here is an IP literal or a `localhost` name.
 */
export function guardedEgress(e: ToolEgress): ToolEgress {
  return e.guarded ? e : { ...e, guarded: true, key: `${e.key}|guarded` };
}

const WHY = 'this batch runs on values a webhook sender chose (started by a relay rule); mark the rule trusted to allow it';

/** Refuses, before any socket exists, a target an untrusted run must not reach. A no-op for a trusted egress. */
export function assertReachable(egress: ToolEgress, hostname: string): void {
  if (!egress.guarded) return;
  const host = bareHost(hostname).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) throw untrustedRefusal(host, 'loopback name');
  if (isIP(host)) {
    const range = refusal(host);
    if (range) throw untrustedRefusal(host, `${range} address`);
  }
}

function untrustedRefusal(host: string, what: string): ToolError {
  return ToolError.permanent(`refused to connect to ${host} (${what}): ${WHY}`, { host });
}

/** The guard's connect-time refusal (possibly wrapped by undici) as the tool error a user reads. */
export function asUntrustedRefusal(e: unknown): ToolError | null {
  for (let cur: unknown = e, i = 0; cur && i < 5; cur = (cur as { cause?: unknown }).cause, i++) {
    if (cur instanceof SsrfBlockedError) return untrustedRefusal(cur.host === cur.address ? cur.host : `${cur.host} (${cur.address})`, cur.range);
  }
  return null;
}

/** Untrusted runs read no local file (an image path, say): only what the network gives them. */
export function assertNoLocalFiles(egress: ToolEgress, what: string): void {
  if (egress.guarded) throw ToolError.permanent(`${what} is a local path: ${WHY}`);
}
