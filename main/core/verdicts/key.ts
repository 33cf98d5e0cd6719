/** The key a verdict on an account is remembered under: the same (site, username) in any investigation. */
export function siteUserKey(site: string, username: string): string {
  return `site:${site.toLowerCase()}|${username.trim().replace(/^@+/, '').toLowerCase()}`;
}

/** The key of a verdict on any other entity: that entity in its investigation. */
export function entityVerdictKey(investigationId: string, type: string, normalized: string): string {
  return `inv:${investigationId}|${type}|${normalized}`;
}
