/**
 * Fingerprints of bot-protection and challenge pages. A response matching one
 * tells nothing about the username, so the site is reported `waf`, never
 * claimed or available.
 */
export interface WafFingerprint {
  name: string;
  body?: string[];
  header?: { name: string; includes: string };
}

export const WAF_FINGERPRINTS: readonly WafFingerprint[] = [
  { name: 'Cloudflare challenge', header: { name: 'cf-mitigated', includes: 'challenge' } },
  { name: 'Cloudflare challenge', body: ['<title>Just a moment...</title>', 'cf-browser-verification', '/cdn-cgi/challenge-platform/', 'cf_chl_opt'] },
  { name: 'Cloudflare block', body: ['Attention Required! | Cloudflare', 'cf-error-details'] },
  { name: 'AWS WAF', body: ['AwsWafIntegration', 'awswaf.com', 'aws-waf-token'] },
  { name: 'Akamai', body: ['errors.edgesuite.net'] },
  { name: 'PerimeterX', body: ['px-captcha', '_pxAppId', 'perimeterx.net'] },
  { name: 'DataDome', body: ['captcha-delivery.com'] },
  { name: 'Imperva Incapsula', body: ['Incapsula incident ID', '_Incapsula_Resource'] },
  { name: 'Sucuri', body: ['Sucuri WebSite Firewall', 'sucuri.net/privacy-policy'] },
  { name: 'DDoS-Guard', body: ['DDoS-Guard</title>', 'ddos-guard.net/'] },
  { name: 'hCaptcha/reCAPTCHA wall', body: ['hcaptcha.com/1/api.js', 'www.google.com/recaptcha/api.js?render'] },
];

/** The name of the protection that answered instead of the site, or null. */
export function detectWaf(headers: Record<string, string>, body: string): string | null {
  for (const f of WAF_FINGERPRINTS) {
    if (f.header && (headers[f.header.name] ?? '').toLowerCase().includes(f.header.includes)) return f.name;
    if (f.body && f.body.some((s) => body.includes(s))) return f.name;
  }
  return null;
}
