import { z } from 'zod';

/**
 * Dossier's site manifest format: the one schema for the bundled
 * resources/sites.json, imported Sherlock/Maigret data, and the JSON schema
 * file in resources/ (generated from this, see sites-schema.test.ts).
 */

export const USERNAME_PLACEHOLDER = '{username}';

export const DETECTION_KINDS = ['status_code', 'message', 'response_url', 'strings', 'signatures'] as const;
export type DetectionKind = (typeof DETECTION_KINDS)[number];

/** A response shape: this status and/or this body text (WhatsMyName's e_code/e_string, m_code/m_string). */
const Signature = z
  .object({ code: z.number().int().min(100).max(599).optional(), string: z.string().min(1).optional() })
  .refine((s) => s.code !== undefined || s.string !== undefined, { message: 'a signature needs a code or a string' });

export const SiteDetect = z
  .object({
    /** Every listed kind is evaluated; any one saying "not there" makes the username available. */
    kinds: z.array(z.enum(DETECTION_KINDS)).min(1),
    /** status_code: these statuses mean available (otherwise any non-2xx does). */
    errorCodes: z.array(z.number().int().min(100).max(599)).optional(),
    /** message: any of these in the body means available. */
    errorMessages: z.array(z.string().min(1)).optional(),
    /** response_url: a redirect (or a final URL starting with this) means available; may contain {username}. */
    errorUrl: z.string().optional(),
    /** strings: claimed needs one of these in the body (when given). */
    presence: z.array(z.string().min(1)).optional(),
    /** strings: any of these in the body means available. */
    absence: z.array(z.string().min(1)).optional(),
    /** signatures: what an existing account answers; claimed only when it matches. */
    exists: Signature.optional(),
    /** signatures: what a missing account answers; available when it matches (and `exists` does not); neither is unknown. */
    missing: Signature.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.kinds.includes('message') && !d.errorMessages?.length) {
      ctx.addIssue({ code: 'custom', message: 'kind "message" needs errorMessages', path: ['errorMessages'] });
    }
    if (d.kinds.includes('signatures') && (!d.exists || !d.missing)) {
      ctx.addIssue({ code: 'custom', message: 'kind "signatures" needs exists and missing', path: [d.exists ? 'missing' : 'exists'] });
    }
    if (d.kinds.includes('strings') && !d.presence?.length && !d.absence?.length) {
      ctx.addIssue({ code: 'custom', message: 'kind "strings" needs presence or absence strings', path: ['presence'] });
    }
  });

const Template = z
  .string()
  .min(1)
  .max(2000)
  .refine((s) => s.includes(USERNAME_PLACEHOLDER), { message: `must contain ${USERNAME_PLACEHOLDER}` });

export const SiteEntry = z.object({
  name: z.string().trim().min(1).max(100),
  /** The profile page a person would open; becomes the account entity. */
  url: Template,
  /** The site's home page. */
  urlMain: z.string().max(2000).optional(),
  /** The URL actually requested when it differs from `url` (an API endpoint); the username may be in `body` instead. */
  probeUrl: z.string().min(1).max(2000).optional(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT']).default('GET'),
  /** Request body template for POST/PUT; {username} is JSON-escaped. */
  body: z.string().max(10_000).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Usernames the site can have; others are reported `illegal` without a request. */
  regex: z.string().max(500).optional(),
  followRedirects: z.boolean().default(false),
  detect: SiteDetect,
  /** Body substrings meaning "cannot tell" (captcha, login wall), with the reason shown. */
  errors: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.string().max(50)).default([]),
  /** A username known to exist on the site when the entry was written. */
  claimed: z.string().min(1).max(200),
  /** A username known not to exist when the entry was written. */
  unclaimed: z.string().min(1).max(200),
  disabled: z.boolean().default(false),
}).superRefine((s, ctx) => {
  if (s.probeUrl && !s.probeUrl.includes(USERNAME_PLACEHOLDER) && !s.body?.includes(USERNAME_PLACEHOLDER)) {
    ctx.addIssue({ code: 'custom', message: `probeUrl or body must contain ${USERNAME_PLACEHOLDER}`, path: ['probeUrl'] });
  }
});
export type SiteEntry = z.output<typeof SiteEntry>;
export type SiteEntryInput = z.input<typeof SiteEntry>;

export const SiteManifest = z
  .object({
    $schema: z.string().optional(),
    format: z.literal('dossier-sites'),
    version: z.literal(1),
    /** When the entries were written (YYYY-MM-DD): they describe the sites' behaviour at that date. */
    written: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'written must be a YYYY-MM-DD date'),
    description: z.string().max(2000).optional(),
    sites: z.array(SiteEntry),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.sites.forEach((s, i) => {
      const key = s.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate site name "${s.name}"`, path: ['sites', i, 'name'] });
      seen.add(key);
      if (s.regex) {
        try {
          new RegExp(s.regex);
        } catch {
          ctx.addIssue({ code: 'custom', message: `invalid regex for ${s.name}`, path: ['sites', i, 'regex'] });
        }
      }
    });
  });
export type SiteManifest = z.output<typeof SiteManifest>;
export type SiteManifestInput = z.input<typeof SiteManifest>;

/** The JSON schema shipped as resources/sites.schema.json. */
export function siteManifestJsonSchema(): unknown {
  return { title: 'Dossier site manifest', ...z.toJSONSchema(SiteManifest, { io: 'input' }) };
}
