import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../main/core/testing/temp-core.ts';

const script = fileURLToPath(new URL('./start.mjs', import.meta.url));
let child: ChildProcess | null = null;
let home = '';

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
});

describe('npm start (scripts/start.mjs)', () => {
  it('falls back to browser mode, says so, and serves the UI and the API behind the token', async () => {
    home = tempDir('dossier-start-');
    const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
    // Without a display the desktop app cannot open even where Electron's binary exists,
    // so this always exercises the fallback (on this project's machines the binary is missing anyway).
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const args = [script, '--data-dir', home, '--port', '0', '--no-open', ...(process.platform === 'linux' ? [] : ['--browser'])];
    const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let out = '';
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 170_000);
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Dossier is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      proc.once('exit', (code) => reject(new Error(`start exited ${code}:\n${out}`)));
    });
    expect(out).toMatch(/starting Dossier in browser mode/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>Dossier<\/title>[\s\S]*assets\/index-[\w-]+\.js/);

    const { origin, searchParams } = new URL(url);
    const token = searchParams.get('token')!;
    const call = (auth: boolean) =>
      fetch(`${origin}/api/call/investigations.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ name: 'Started with npm start' }),
      });
    expect((await call(false)).status).toBe(401);
    const created = await call(true);
    expect(created.status).toBe(200);
    expect(((await created.json()) as { result: { name: string } }).result.name).toBe('Started with npm start');
  }, 180_000);
});
