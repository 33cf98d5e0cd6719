import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { isTrustedSender, rendererFileUrl, type SenderInfo } from './trusted-sender.ts';

const indexHtml = join('/opt', 'Dossier App', 'resources', 'app.asar', 'renderer', 'dist', 'index.html');
const ours = rendererFileUrl(indexHtml);
const good: SenderInfo = { hasFrame: true, isMainFrame: true, fromOurWindow: true, frameUrl: ours };

describe('isTrustedSender', () => {
  it('accepts our renderer in our main frame, on any in-app route', () => {
    expect(isTrustedSender(good, ours)).toBe(true);
    expect(isTrustedSender({ ...good, frameUrl: `${ours}#/investigations/abc` }, ours)).toBe(true);
    // Paths with spaces are percent-encoded the same way on both sides.
    expect(ours).toContain('Dossier%20App');
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
      rendererFileUrl(join('/opt', 'Dossier App', 'resources', 'app.asar', 'renderer', 'dist', 'other.html')),
      `${ours}?injected=1`,
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isTrustedSender({ ...good, frameUrl }, ours), frameUrl).toBe(false);
    }
  });
});
