import { proxyUrl, type ToolEgress } from './egress.ts';

/** The variables curl, Python requests, Go and most CLIs read for a proxy. */
export const PROXY_ENV_NAMES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'] as const;
const BYPASS_NAMES = ['NO_PROXY', 'no_proxy'];
const PROXY_NAMES = new Set<string>([...PROXY_ENV_NAMES, ...BYPASS_NAMES].map((n) => n.toUpperCase()));

/**
 * What an external program inherits from Dossier's environment (SPEC §5: a
 * minimal environment): where programs are found, a home and a temporary
 * directory, the locale and time zone, and what Windows needs to start a
 * process at all. Nothing else: no tokens, keys or proxy settings of the
 * shell Dossier was started from.
 */
export const BASE_ENV_NAMES = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LANGUAGE', 'TZ'] as const;
const WINDOWS_ENV_NAMES = [
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'HOMEDRIVE',
  'HOMEPATH',
  'SYSTEMDRIVE',
];

/** A name the user may pass through on top of the base (`passEnv` of the command tool); proxy variables are the egress's alone. */
export function passableEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PROXY_NAMES.has(name.toUpperCase());
}

/**
 * The environment of an external program: the minimal base of `base`, the
 * names in `passEnv`, and under a proxy egress the proxy in every variable
 * programs commonly read (SOCKS5 as socks5h://, so names resolve at the
 * proxy). Direct: no proxy variable at all, so the setting is what the
 * program sees. The program must honour them.
 */
export function commandEnvironment(
  base: NodeJS.ProcessEnv,
  egress: ToolEgress,
  passEnv: readonly string[] = [],
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv {
  const keep = new Set<string>([...BASE_ENV_NAMES, ...(platform === 'win32' ? WINDOWS_ENV_NAMES : [])]);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    // LC_ALL, LC_CTYPE...: the locale; Windows names are case-insensitive.
    if (keep.has(platform === 'win32' ? k.toUpperCase() : k) || /^LC_[A-Z]+$/.test(k)) env[k] = v;
  }
  for (const k of passEnv) if (passableEnvName(k) && base[k] !== undefined) env[k] = base[k];
  const url = proxyUrl(egress);
  if (url) for (const k of PROXY_ENV_NAMES) env[k] = url;
  return env;
}
