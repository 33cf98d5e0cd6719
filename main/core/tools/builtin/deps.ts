import type { SettingsService } from '../../settings/service.ts';
import type { SiteCatalog } from '../sites/catalog.ts';
import type { SiteHealthReader } from '../../site-health/reader.ts';

/** What the built-in tools read besides their params: the site manifest, settings and bundled lists. */
export interface BuiltinDeps {
  sites: SiteCatalog;
  /** Read per run; see cachedSettings for the hot path. */
  settings: Pick<SettingsService, 'get'>;
  /** Path of the disposable e-mail domain list (one domain a line). */
  disposableDomainsFile: string;
  /** Sites the last site check found degraded: username.sites reports them `unknown` (absent: none is). */
  siteHealth?: Pick<SiteHealthReader, 'degraded' | 'invalidate'>;
}

/**
 * Settings as tools read them: each key at most once per `ttlMs`, so a batch
 * of thousands of runs does not query SQLite twice per run. A change applies
 * to runs that start after the TTL.
 */
export function cachedSettings(settings: Pick<SettingsService, 'get'>, ttlMs = 1000): Pick<SettingsService, 'get'> {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get(key) {
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value as ReturnType<SettingsService['get']>;
      const value = settings.get(key);
      cache.set(key, { at: now, value });
      value.catch(() => cache.delete(key));
      return value;
    },
  } as Pick<SettingsService, 'get'>;
}
