import type { EntityType } from './entities.ts';

/*
 * What a well-formed value of each checkable type looks like — the one source of truth for
 * hand-added entities (the AddEntity schema, so every face gets the same `invalid_input`)
 * and for guessing a tool's input type in the CLI. Pure string checks (no node:net) so the
 * renderer can import it too. Types not listed here (username, person, account "site:user", ...)
 * take any non-empty text.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// A DNS name after IDNA: labels of 1-63 letters/digits/hyphens not starting or ending with a
// hyphen, and a top-level label that is letters or punycode (so "1.2.3.4" is not a domain).
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function isIpv4(v: string): boolean {
  return IPV4.test(v);
}

export function isIpv6(v: string): boolean {
  if (!v.includes(':') || /[^0-9a-f:.]/i.test(v)) return false;
  try {
    // WHATWG URL parses bracketed IPv6 literals strictly in Node and in Chromium alike.
    return new URL(`http://[${v}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** The ASCII (punycode) form of a domain, or null when it is not a plain domain name. */
function asciiDomain(v: string): string | null {
  const d = v.replace(/\.$/, '');
  if (!d || /[\s/:@?#\\[\]]/.test(d)) return null;
  let host: string;
  try {
    host = new URL(`http://${d}/`).hostname;
  } catch {
    return null;
  }
  return HOSTNAME.test(host) ? host : null;
}

/** Why `raw` is not a valid value of `type`, or null when it is (or the type has no rule). */
export function entityValueProblem(type: EntityType, raw: string): string | null {
  const v = raw.trim();
  switch (type) {
    case 'email': {
      const at = v.lastIndexOf('@');
      if (at <= 0 || /\s/.test(v)) return 'not an email address: expected name@domain.tld';
      if (v.indexOf('@') !== at) return 'not an email address: more than one "@"';
      if (!asciiDomain(v.slice(at + 1))) return `not an email address: "${v.slice(at + 1)}" is not a domain`;
      return null;
    }
    case 'domain':
      return asciiDomain(v) ? null : 'not a domain name: expected something like example.com (no scheme, path or spaces)';
    case 'url': {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        return 'not a URL: expected an absolute http(s) address such as https://example.com/page';
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return `not a web URL: the scheme must be http or https, not ${u.protocol.replace(/:$/, '')}`;
      if (!u.hostname) return 'not a URL: the host is missing';
      return null;
    }
    case 'ip':
      return isIpv4(v) || isIpv6(v) ? null : 'not an IP address: expected IPv4 (203.0.113.7) or IPv6 (2001:db8::1)';
    case 'phone': {
      if (/[^\d\s().+-]/.test(v)) return 'not a phone number: only digits, spaces, "+", "-", "." and parentheses are allowed';
      const digits = v.replace(/[\s().-]/g, '');
      if (!/^\+?\d+$/.test(digits)) return 'not a phone number: "+" may only lead the number';
      const n = digits.replace('+', '').length;
      if (n < 6 || n > 15) return `not a phone number: ${n} digits, expected 6 to 15`;
      return null;
    }
    default:
      return null;
  }
}
