import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { isTrustedSender, refusedSender, rendererFileUrl, type SenderInfo } from './trusted-sender.ts';
import { RENDERER_URL } from './app-protocol.ts';

const indexHtml = join('/opt', 'Dossier App', 'resources', 'app.asar', 'renderer', 'dist', 'index.html');
const ours = RENDERER_URL;
const good: SenderInfo = { hasFrame: true, isMainFrame: true, fromOurWindow: true, frameUrl: ours };

describe('isTrustedSender', () => {
  it('accepts our renderer in our main frame, on any in-app route', () => {
    expect(isTrustedSender(good, ours)).toBe(true);
    expect(isTrustedSender({ ...good, frameUrl: `${ours}#/investigations/abc` }, ours)).toBe(true);
    expect(ours).toBe('app://dossier/index.html');
  });

  it('refuses a frame that is gone, an iframe, or another window', () => {
    expect(isTrustedSender({ ...good, hasFrame: false, frameUrl: '' }, ours)).toBe(false);
    expect(isTrustedSender({ ...good, isMainFrame: false }, ours)).toBe(false);
    expect(isTrustedSender({ ...good, fromOurWindow: false }, ours)).toBe(false);
  });

  it('refuses any other document, even one served from the same machine', () => {
    for (const frameUrl of [
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'file:///tmp/evil.html',
      // The very file the protocol serves, opened as file://, is not the app.
      rendererFileUrl(indexHtml),
      'app://dossier/other.html',
      'app://evil/index.html',
      `${ours}?injected=1`,
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isTrustedSender({ ...good, frameUrl }, ours), frameUrl).toBe(false);
    }
  });
});

describe('refusedSender', () => {
  it('answers a call from an untrusted frame with forbidden (nothing runs)', () => {
    expect(refusedSender('https://evil.example/')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
