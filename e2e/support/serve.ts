import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, type Page } from '@playwright/test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');

export interface ServedApp {
  url: string;
  token: string;
  dataDir: string;
  /** Run a `dossier` CLI command against the same data directory (JSON output). */
  cli(args: string[]): Promise<unknown>;
}

/** Start `dossier serve --port 0` as a real subprocess on a fresh data directory. */
export async function startServe(env: NodeJS.ProcessEnv = {}): Promise<ServedApp & { stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dossier-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/dossier'), '--data-dir', dataDir, '--json', 'serve', '--port', '0', '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const openUrl = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const u = new URL(openUrl);
  return {
    url: openUrl,
    token: u.searchParams.get('token')!,
    dataDir,
    async cli(args) {
      const out = await new Promise<string>((resolve, reject) => {
        const c = spawn(process.execPath, [join(ROOT, 'bin/dossier'), '--data-dir', dataDir, '--json', ...args], { cwd: ROOT });
        let o = '';
        let e = '';
        c.stdout.on('data', (d: Buffer) => (o += d.toString()));
        c.stderr.on('data', (d: Buffer) => (e += d.toString()));
        c.on('exit', (code) => (code === 0 ? resolve(o) : reject(new Error(`dossier ${args.join(' ')} exited ${code}: ${e}`))));
      });
      return JSON.parse(out) as unknown;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Playwright test with a fresh `dossier serve` per test. */
export const test = base.extend<{ app: ServedApp }>({
  app: async ({}, use) => {
    const app = await startServe();
    await use(app);
    await app.stop();
  },
});
export { expect } from '@playwright/test';

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
