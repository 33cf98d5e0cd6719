import { proxyUrl, type ToolEgress } from './egress.ts';

/** The variables curl, Python requests, Go and most CLIs read for a proxy. */
export const PROXY_ENV_NAMES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'] as const;
const BYPASS_NAMES = ['NO_PROXY', 'no_proxy'];

/**
 * The environment of an external program under an egress: the proxy in every
 * variable programs commonly read (SOCKS5 as socks5h://, so names resolve at
 * the proxy), and any inherited proxy or bypass list removed when direct, so
 * the setting is what the program sees. The program must honour them.
 */
export function proxyEnvironment(base: NodeJS.ProcessEnv, egress: ToolEgress): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of [...PROXY_ENV_NAMES, ...BYPASS_NAMES]) delete env[k];
  const url = proxyUrl(egress);
  if (url) for (const k of PROXY_ENV_NAMES) env[k] = url;
  return env;
}
