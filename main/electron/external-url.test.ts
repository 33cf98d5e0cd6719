import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-url.ts';

describe('isAllowedExternalUrl', () => {
  it('lets ordinary web links (a found profile, a domain) open in the system browser', () => {
    expect(isAllowedExternalUrl('https://github.com/someuser')).toBe(true);
    expect(isAllowedExternalUrl('http://example.org/path?q=1#frag')).toBe(true);
    expect(isAllowedExternalUrl('https://xn--80ak6aa92e.com/')).toBe(true);
  });

  it('refuses schemes that can start local programs or read local files', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'smb://attacker.example/share',
      'ms-msdt:/id PCWDiagnostic',
      'vscode://file/tmp/x',
      'ftp://example.org/',
      'mailto:someone@example.org',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('refuses credentials in the URL, malformed and oversized URLs', () => {
    expect(isAllowedExternalUrl('https://bank.example@evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pass@example.org/')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
    expect(isAllowedExternalUrl('')).toBe(false);
    expect(isAllowedExternalUrl('https://')).toBe(false);
    expect(isAllowedExternalUrl(`https://example.org/${'a'.repeat(3000)}`)).toBe(false);
  });
});
