import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_URL, contentTypeOf, resolveAppPath } from './app-protocol.ts';

const root = join('/opt', 'Dossier App', 'resources', 'app.asar', 'renderer', 'dist');

describe('app:// protocol', () => {
  it('maps our URLs to files of the built renderer', () => {
    expect(resolveAppPath(root, RENDERER_URL)).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://dossier/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, `${RENDERER_URL}#/investigations/abc`)).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://dossier/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://dossier/assets/a%20b.css')).toBe(join(root, 'assets', 'a b.css'));
  });

  it('never names a file outside the renderer, however the path is dressed up', () => {
    for (const url of [
      'app://dossier/../../../etc/passwd',
      'app://dossier/%2e%2e/%2e%2e/etc/passwd',
      'app://dossier/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://dossier/assets/..\\..\\..\\etc\\passwd',
    ]) {
      const p = resolveAppPath(root, url);
      expect(p === null || p.startsWith(root + '/'), `${url} -> ${p}`).toBe(true);
    }
  });

  it('serves nothing for another host or scheme, a NUL or a malformed escape', () => {
    for (const url of ['app://evil/index.html', 'file:///etc/passwd', 'https://dossier/index.html', 'app://dossier/%00index.html', 'app://dossier/%E0%A4%A', 'not a url']) {
      expect(resolveAppPath(root, url), url).toBeNull();
    }
  });

  it('answers with the right content types', () => {
    expect(contentTypeOf('index.html')).toMatch(/^text\/html/);
    expect(contentTypeOf('a.js')).toMatch(/^text\/javascript/);
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
