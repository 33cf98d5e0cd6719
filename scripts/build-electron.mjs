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
import { fileURLToPath } from 'node:url';
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

console.log(`build:electron: ${out} (main: ${pkg.main}, preload: dist-electron/preload.cjs)`);
