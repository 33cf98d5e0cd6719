import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteManifest, siteManifestJsonSchema } from './manifest.ts';
import { resourcesDir } from '../resources.ts';

const bundled = JSON.parse(readFileSync(join(resourcesDir(), 'sites.json'), 'utf8')) as unknown;

describe('bundled site manifest', () => {
  it('is a valid Dossier manifest with at least 60 sites, dated, each with a claimed and a free username', () => {
    const m = SiteManifest.parse(bundled);
    expect(m.written).toBe('2026-11-28');
    expect(m.sites.length).toBeGreaterThanOrEqual(60);
    for (const s of m.sites) {
      expect(s.claimed, s.name).not.toBe(s.unclaimed);
      // Both sample usernames must be possible on the site, or checking them would say "illegal".
      if (s.regex) {
        expect(new RegExp(s.regex).test(s.claimed), `${s.name} claimed`).toBe(true);
        expect(new RegExp(s.regex).test(s.unclaimed), `${s.name} unclaimed`).toBe(true);
      }
      expect(s.url.startsWith('https://'), s.name).toBe(true);
    }
  });

  it('rejects a manifest with a duplicate site, a missing placeholder or a message check without messages', () => {
    const base = { format: 'dossier-sites', version: 1, written: '2026-11-28' };
    const site = { name: 'A', url: 'https://a.example/{username}', detect: { kinds: ['status_code'] }, claimed: 'x', unclaimed: 'y' };
    expect(SiteManifest.safeParse({ ...base, sites: [site, { ...site, name: 'a' }] }).success).toBe(false);
    expect(SiteManifest.safeParse({ ...base, sites: [{ ...site, url: 'https://a.example/' }] }).success).toBe(false);
    expect(SiteManifest.safeParse({ ...base, sites: [{ ...site, detect: { kinds: ['message'] } }] }).success).toBe(false);
    expect(SiteManifest.safeParse({ ...base, sites: [site] }).success).toBe(true);
  });

  it('ships the JSON schema generated from the zod schema (regenerate resources/sites.schema.json when this fails)', () => {
    const shipped = JSON.parse(readFileSync(join(resourcesDir(), 'sites.schema.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(JSON.parse(JSON.stringify(siteManifestJsonSchema())));
  });
});
