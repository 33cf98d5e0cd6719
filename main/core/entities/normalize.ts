import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { EntityType } from '../../../preload/contract/entities.ts';

/**
 * The normalized form that makes (type, value) unique per investigation:
 * two spellings of the same thing become the same entity.
 */
export function normalizeEntityValue(type: EntityType, raw: string): string {
  const v = raw.trim();
  switch (type) {
    case 'email':
      return v.toLowerCase();
    case 'domain':
      return v.toLowerCase().replace(/\.$/, '');
    case 'username':
      return v.replace(/^@/, '').toLowerCase();
    case 'url':
    case 'account':
      return canonicalUrl(v);
    case 'phone': {
      const p = parsePhoneNumberFromString(v, 'US');
      return p && p.isPossible() ? p.number : v.replace(/[^\d+]/g, '');
    }
    case 'ip':
      return v.toLowerCase();
    default:
      return v.replace(/\s+/g, ' ').toLowerCase();
  }
}

/** Lower-cases scheme and host, drops default ports, fragments and a lone trailing slash. */
export function canonicalUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return v.toLowerCase();
  }
  u.hash = '';
  if ((u.protocol === 'http:' && u.port === '80') || (u.protocol === 'https:' && u.port === '443')) u.port = '';
  let s = u.toString();
  if (u.pathname === '/' && !u.search && s.endsWith('/')) s = s.slice(0, -1);
  else if (u.pathname.length > 1 && u.pathname.endsWith('/') && !u.search) s = s.slice(0, -1);
  return s;
}
