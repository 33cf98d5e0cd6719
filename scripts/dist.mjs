#!/usr/bin/env node
// `npm run dist [-- electron-builder args, e.g. --linux]`: installers in release/.
//
// electron-builder's npmRebuild recompiles better-sqlite3 *in place* for Electron's ABI
// before packing. The checkout's node_modules must keep the Node build (tests, the CLI and
// browser mode run on Node), so afterwards, whatever happened, the Node build is restored
// and the rebuild marker removed (so the next packaging rebuilds for Electron again
// instead of trusting a marker that no longer matches the binary).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

if (run(npm, ['run', '--silent', 'build']) !== 0) process.exit(1);

let status = 1;
try {
  status = run(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
} finally {
  console.log('dist: restoring the Node build of better-sqlite3 for tests and the CLI');
  rmSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', '.forge-meta'), { force: true });
  if (run(npm, ['rebuild', 'better-sqlite3']) !== 0) {
    console.error('dist: `npm rebuild better-sqlite3` failed; run it by hand before `npm test`');
    status ||= 1;
  }
}
process.exit(status);
