import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { DossierError } from '../../../../preload/contract/errors.ts';
import { SiteManifest, type SiteEntry } from './manifest.ts';

export interface ActiveManifest {
  manifest: SiteManifest;
  /** 'data' when the data directory holds an imported manifest, 'bundled' otherwise. */
  source: 'data' | 'bundled';
  file: string;
}

/** Parse and validate a manifest file; bad files throw invalid_input naming the first problems. */
export function readManifestFile(file: string): SiteManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DossierError('invalid_input', `${file} is not readable JSON: ${(e as Error).message}`);
  }
  const parsed = SiteManifest.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new DossierError('invalid_input', `${file} is not a Dossier site manifest: ${first.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The site manifest username.sites uses: `sites.json` in the data directory
 * when present (written by `site import`), else the bundled one. Re-read only
 * when the file changes, so thousands of runs share one parse.
 */
export class SiteCatalog {
  private cache: { file: string; mtimeMs: number; size: number; active: ActiveManifest; byName: Map<string, SiteEntry>; checkedAt: number } | null = null;
  constructor(
    readonly dataFile: string,
    readonly bundledFile: string,
    /** How long a parsed manifest is trusted before the files are looked at again (another process may import). */
    private readonly recheckMs = 500,
  ) {}

  active(): ActiveManifest {
    return this.load().active;
  }

  private load() {
    const now = Date.now();
    if (this.cache && now - this.cache.checkedAt < this.recheckMs) return this.cache;
    const source = existsSync(this.dataFile) ? 'data' : 'bundled';
    const file = source === 'data' ? this.dataFile : this.bundledFile;
    let st;
    try {
      st = statSync(file);
    } catch {
      throw new DossierError('not_found', `no site manifest at ${file}`);
    }
    const c = this.cache;
    if (c && c.file === file && c.mtimeMs === st.mtimeMs && c.size === st.size) {
      c.checkedAt = now;
      return c;
    }
    const active: ActiveManifest = { manifest: readManifestFile(file), source, file };
    const byName = new Map(active.manifest.sites.map((s) => [s.name.toLowerCase(), s]));
    this.cache = { file, mtimeMs: st.mtimeMs, size: st.size, active, byName, checkedAt: now };
    return this.cache;
  }

  /** Sites to check: the named ones (case-insensitive, unknown names rejected), or all enabled ones. */
  select(names?: string[], opts: { tags?: string[]; includeDisabled?: boolean } = {}): SiteEntry[] {
    const { active, byName } = this.load();
    const { manifest } = active;
    if (names && names.length) {
      const missing = names.filter((n) => !byName.has(n.toLowerCase()));
      if (missing.length) throw new DossierError('invalid_input', `unknown site${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
      return names.map((n) => byName.get(n.toLowerCase())!);
    }
    return manifest.sites.filter(
      (s) => (opts.includeDisabled || !s.disabled) && (!opts.tags?.length || s.tags.some((t) => opts.tags!.includes(t))),
    );
  }

  /** Replace the data directory's manifest atomically (write, then rename). */
  write(manifest: SiteManifest): void {
    const tmp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(manifest, null, 2) + '\n');
    renameSync(tmp, this.dataFile);
    this.cache = null;
  }
}
