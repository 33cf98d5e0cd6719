import type { EntityType } from './entities.ts';

/**
 * One colour per entity type: the entity table badges, the graph and its
 * legend, and the GEXF/HTML exports all read this. The first six are SPEC
 * §3.7; the spec is silent on the others, so they get distinct hues instead
 * of all looking like "other".
 */
export const ENTITY_COLORS: Record<EntityType, string> = {
  username: '#3b82f6',
  email: '#10b981',
  domain: '#8b5cf6',
  phone: '#f59e0b',
  image: '#ec4899',
  other: '#6b7280',
  url: '#06b6d4',
  ip: '#ef4444',
  // Brown: the nearest of the others is far (CIE76 ΔE > 40); the indigo it replaced read as a username's blue.
  account: '#854d0e',
  person: '#14b8a6',
  organization: '#84cc16',
  location: '#f97316',
};

export function entityColor(type: string): string {
  return (ENTITY_COLORS as Record<string, string>)[type] ?? ENTITY_COLORS.other;
}
