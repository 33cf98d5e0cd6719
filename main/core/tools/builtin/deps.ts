import type { SettingsService } from '../../settings/service.ts';
import type { SiteCatalog } from '../sites/catalog.ts';

/** What the built-in tools read besides their params: the site manifest, settings and bundled lists. */
export interface BuiltinDeps {
  sites: SiteCatalog;
  settings: Pick<SettingsService, 'get'>;
  /** Path of the disposable e-mail domain list (one domain a line). */
  disposableDomainsFile: string;
}
