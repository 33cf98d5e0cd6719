#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here, browser mode otherwise.
//
//   npm start                       build what is stale, then Electron or `dossier serve`
//   npm start -- --browser          always browser mode
//   npm start -- --data-dir DIR     use DIR as the data directory (same as DOSSIER_HOME)
//   npm start -- --port P --no-open browser-mode options, passed to `dossier serve`
//
// Electron's npm package downloads its binary lazily, the first time its path is asked
// for. Asking from this process could hang on a dead network, so the question is asked in
// a child process with a time limit, and any failure means browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    browser: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'no-open': { type: 'boolean', default: false },
  },
  strict: true,
});
const env = { ...process.env };
if (opts['data-dir']) env.DOSSIER_HOME = opts['data-dir'];
const RESOLVE_TIMEOUT_MS = Number(process.env.DOSSIER_ELECTRON_TIMEOUT_MS ?? 30_000);

/** Newest modification time of the files under `paths` (folders walked, node_modules skipped). */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && name !== 'dist') visit(join(p, name));
    } else max = Math.max(max, st.mtimeMs);
  };
  paths.forEach((p) => visit(join(root, p)));
  return max;
}

function mtime(rel) {
  const p = join(root, rel);
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

function runOrExit(label, cmd, args) {
  console.log(`dossier: ${label}...`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`dossier: ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

function buildRendererIfStale() {
  const built = mtime('renderer/dist/index.html');
  // The renderer imports the contract from preload/contract, so it counts as a source too.
  if (built && built >= newest(['renderer/src', 'renderer/index.html', 'renderer/public', 'renderer/vite.config.ts', 'preload/contract'])) return;
  runOrExit(built ? 'renderer sources changed, rebuilding the UI' : 'building the UI (first start)', process.execPath, [
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
}

function buildShellIfStale() {
  const built = Math.min(mtime('dist-electron/main/electron/main.js'), mtime('dist-electron/preload.cjs'));
  if (built && built >= newest(['main', 'preload', 'tsconfig.electron.json', 'package.json'])) return;
  runOrExit('building the desktop shell', process.execPath, [join(root, 'scripts', 'build-electron.mjs')]);
}

/** Run a child with a time limit; kill its whole process group (the download runs in a grandchild). */
function runLimited(cmd, args, extraEnv, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        if (process.platform === 'win32') child.kill();
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve({ code: null, stdout, stderr, timedOut: true });
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: String(err), timedOut: false });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut: false });
    });
  });
}

/** The Electron binary if it exists (or can be fetched in time), runs, and can load our native module; else why not. */
async function findElectron() {
  if (opts.browser) return { reason: '--browser was given' };

  const resolved = await runLimited(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {}, RESOLVE_TIMEOUT_MS);
  if (resolved.timedOut) return { noBinary: true, reason: `fetching it took longer than ${RESOLVE_TIMEOUT_MS / 1000} s` };
  const path = resolved.stdout.trim();
  if (resolved.code !== 0 || !path || !existsSync(path)) {
    const cause = resolved.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? '';
    return { noBinary: true, reason: `the download failed${cause ? `: ${cause.trim().slice(0, 160)}` : ''}` };
  }
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)' };

  // ELECTRON_RUN_AS_NODE runs the binary as plain Node: no window, no display needed.
  const asNode = { ELECTRON_RUN_AS_NODE: '1' };
  const version = await runLimited(path, ['--version'], asNode, 15_000);
  if (version.code !== 0) return { reason: `${path} does not run on this machine` };
  // better-sqlite3 is compiled for Node (tests use it). Electron needs a build for its own ABI,
  // which `npm run dist` makes at packaging time; a dev checkout has to rebuild it on purpose.
  const sqlite = await runLimited(path, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], asNode, 15_000);
  if (sqlite.code !== 0) {
    return {
      reason:
        'better-sqlite3 is built for Node, not for Electron ' +
        version.stdout.trim() +
        ". To run the desktop app from this checkout: `npx electron-builder install-app-deps` (and `npm rebuild better-sqlite3` before running the tests again)",
    };
  }
  return { path };
}

function forwardSignals(child) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

buildRendererIfStale();
const electron = await findElectron();

if (electron.path) {
  buildShellIfStale();
  console.log('dossier: starting the desktop app');
  const launchEnv = { ...env };
  delete launchEnv.ELECTRON_RUN_AS_NODE;
  forwardSignals(spawn(electron.path, [root], { cwd: root, env: launchEnv, stdio: 'inherit' }));
} else {
  if (electron.noBinary) console.log("dossier: Electron's binary is not available on this machine; starting Dossier in browser mode");
  else console.log('dossier: the desktop app cannot start here; starting Dossier in browser mode');
  console.log(`dossier: (${electron.reason})`);
  const args = [join(root, 'bin', 'dossier'), 'serve'];
  if (opts.port) args.push('--port', opts.port);
  if (opts['no-open']) args.push('--no-open');
  forwardSignals(spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' }));
}
