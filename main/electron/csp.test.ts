import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, parseCsp } from './csp.ts';

const indexHtml = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
const metaCsp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(indexHtml)?.[1];

describe('content security policy', () => {
  it('the renderer page carries a meta CSP (file:// responses have no headers)', () => {
    expect(metaCsp).toBeTruthy();
  });

  for (const [name, policy] of [
    ['desktop header CSP', DESKTOP_CSP],
    ['renderer meta CSP', metaCsp ?? ''],
  ] as const) {
    it(`${name}: scripts only from the app itself, no plugins, no base rewriting`, () => {
      const csp = parseCsp(policy);
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      expect(csp.get('form-action')).toEqual(["'none'"]);
      const all = [...csp.values()].flat();
      expect(all).not.toContain("'unsafe-eval'");
      expect(all.some((s) => s === '*' || /^https?:/.test(s))).toBe(false);
    });
  }

  it('the header also forbids framing and any source not listed', () => {
    const csp = parseCsp(DESKTOP_CSP);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
