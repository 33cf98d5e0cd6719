/**
 * Which URLs the desktop shell hands to the operating system's browser.
 * Only plain web pages: other schemes (file:, javascript:, smb:, ms-msdt:, custom
 * protocol handlers) can launch local programs, so they never leave the app.
 */
const MAX_URL_LENGTH = 2048;

export function isAllowedExternalUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (!url.hostname) return false;
  // user:pass@host is a phishing trick (https://bank.com@evil.example) and leaks credentials.
  if (url.username || url.password) return false;
  return true;
}
