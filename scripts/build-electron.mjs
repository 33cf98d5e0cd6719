#!/usr/bin/env node
// `npm run build:electron`: the desktop shell into dist-electron/.
//  - main process: tsc (ESM, NodeNext) from tsconfig.electron.json; the core comes along transitively.
//  - preload: one CommonJS bundle (dist-electron/preload.cjs), because sandboxed preloads
//    cannot be ES modules and can only require('electron') and a few built-ins.
//  - dist-electron/package.json: marks the output as ESM and carries the version, which the
//    core reads from the package.json two directories above its compiled files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist-electron');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.electron.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  console.error('build:electron: type errors in the shell (see above)');
  process.exit(1);
}

await build({
  entryPoints: [join(root, 'preload', 'index.ts')],
  outfile: join(out, 'preload.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // Electron 45 ships Chromium 140 and Node 22.
  target: ['chrome140', 'node22'],
  external: ['electron'],
  sourcemap: false,
  logLevel: 'warning',
});

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(out, 'package.json'), JSON.stringify({ name: `${pkg.name}-shell`, version: pkg.version, type: 'module', private: true }, null, 2) + '\n');

// Self-check without Electron (its binary may be missing): the compiled core must load and
// open a database from dist-electron under plain Node, and the sandboxed preload may only
// require 'electron' (a sandboxed preload cannot load anything else).
const check = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `import { mkdtempSync, rmSync } from 'node:fs';
     import { tmpdir } from 'node:os';
     import { join } from 'node:path';
     const { createCore } = await import(${JSON.stringify(pathToFileURL(join(out, 'main', 'core', 'core.js')).href)});
     const dir = mkdtempSync(join(tmpdir(), 'dossier-build-check-'));
     try {
       const core = await createCore({ dataDir: dir, mode: 'test' });
       const info = await core.call('app.info', {});
       await core.close();
       if (info.version !== ${JSON.stringify(pkg.version)}) throw new Error('compiled core reports version ' + info.version);
     } finally { rmSync(dir, { recursive: true, force: true }); }`,
  ],
  { cwd: root, encoding: 'utf8' },
);
if (check.status !== 0) {
  console.error(`build:electron: the compiled core does not run from dist-electron:\n${check.stderr}`);
  process.exit(1);
}
const requires = [...readFileSync(join(out, 'preload.cjs'), 'utf8').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]);
const foreign = requires.filter((r) => r !== 'electron');
if (foreign.length > 0) {
  console.error(`build:electron: the preload bundle requires ${foreign.join(', ')}; a sandboxed preload can only require 'electron'`);
  process.exit(1);
}

console.log(`build:electron: ${out} (main: ${pkg.main}, preload: dist-electron/preload.cjs); compiled core checked under Node`);
