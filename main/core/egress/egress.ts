import { createHash } from 'node:crypto';
import { DIRECT_EGRESS, egressLabel, type Egress } from '../../../preload/contract/egress.ts';

/**
 * An egress resolved for use: the setting plus the proxy credential read from
 * the vault. The secret stays in `auth`; `label` is what evidence and logs show.
 */
export interface ToolEgress {
  readonly config: Egress;
  readonly label: string;
  readonly auth?: { username: string; password: string };
  /** Identifies the connection pool: the same proxy and credential share one. */
  readonly key: string;
  /** An untrusted batch's egress (`guardedEgress`): private, loopback and link-local destinations are refused. */
  readonly guarded?: boolean;
}

export const DIRECT: ToolEgress = { config: DIRECT_EGRESS, label: 'direct', key: 'direct' };

/** `secret` is the vault value for the proxy: "user:password" (a bare value is a user name without password). */
export function toolEgress(config: Egress, secret?: string): ToolEgress {
  if (config.mode === 'direct') return DIRECT;
  const i = secret === undefined ? -1 : secret.indexOf(':');
  const auth = secret === undefined ? undefined : i < 0 ? { username: secret, password: '' } : { username: secret.slice(0, i), password: secret.slice(i + 1) };
  const secretTag = secret === undefined ? '-' : createHash('sha256').update(secret).digest('hex').slice(0, 16);
  return { config, label: egressLabel(config), auth, key: `${config.mode}|${config.host}|${config.port}|${secretTag}` };
}

/** The proxy as a URL with its credentials, for programs that read HTTPS_PROXY / ALL_PROXY. Never log it. */
export function proxyUrl(e: ToolEgress): string | null {
  const c = e.config;
  if (c.mode === 'direct') return null;
  const scheme = c.mode === 'socks5' ? 'socks5h' : c.mode;
  const user = e.auth ? `${encodeURIComponent(e.auth.username)}${e.auth.password ? `:${encodeURIComponent(e.auth.password)}` : ''}@` : '';
  const host = c.host.includes(':') && !c.host.startsWith('[') ? `[${c.host}]` : c.host;
  return `${scheme}://${user}${host}:${c.port}`;
}

export function proxyAuthorization(e: ToolEgress): string | undefined {
  return e.auth ? `Basic ${Buffer.from(`${e.auth.username}:${e.auth.password}`).toString('base64')}` : undefined;
}

/** The proxy host as a socket API wants it (no brackets). */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}
