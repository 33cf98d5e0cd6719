import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../main/core/testing/temp-core.ts';

const script = fileURLToPath(new URL('./electronegativity.mjs', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A checkout whose shell makes the classic mistakes: Node in the page, no isolation. */
function insecureCheckout(): string {
  const root = tempDir('dossier-en-');
  dirs.push(root);
  mkdirSync(join(root, 'main', 'electron'), { recursive: true });
  mkdirSync(join(root, 'preload'), { recursive: true });
  mkdirSync(join(root, 'renderer'), { recursive: true });
  writeFileSync(
    join(root, 'main', 'electron', 'window.ts'),
    `import { BrowserWindow } from 'electron';
export function open(): BrowserWindow {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });
  void win.loadURL('http://example.org/');
  return win;
}
`,
  );
  writeFileSync(join(root, 'preload', 'index.ts'), `export {};\n`);
  writeFileSync(join(root, 'renderer', 'index.html'), readFileSync(join(repo, 'renderer', 'index.html')));
  writeFileSync(join(root, 'package.json'), readFileSync(join(repo, 'package.json')));
  return root;
}

describe('scripts/electronegativity.mjs (the CI gate)', () => {
  it('fails and names the HIGH findings when the shell turns off Electron protections', () => {
    const root = insecureCheckout();
    const r = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/HIGH\s+CONTEXT_ISOLATION_JS_CHECK main\/electron\/window\.ts:3/);
    // No will-navigate / setWindowOpenHandler anywhere: the page could be navigated away.
    expect(r.stdout).toMatch(/HIGH\s+LIMIT_NAVIGATION_GLOBAL_CHECK/);
    expect(r.stderr).toMatch(/FAILED — \d+ high severity finding/);
    const report = JSON.parse(readFileSync(join(root, 'test-results', 'electronegativity.json'), 'utf8')) as { findings: Array<{ severity: string }> };
    expect(report.findings.some((f) => f.severity === 'HIGH')).toBe(true);
  }, 120_000);
});
