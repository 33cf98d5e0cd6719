#!/usr/bin/env node
// `npm run dist [-- electron-builder args, e.g. --linux]`: installers in release/.
//
// electron-builder's npmRebuild recompiles better-sqlite3 *in place* for Electron's ABI
// before packing. Afterwards, whatever happened, the Node build is restored so the tests
// and the CLI keep working in this checkout.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreNodeNativeModules } from './lib/native-modules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

if (run(npm, ['run', '--silent', 'build']) !== 0) process.exit(1);

let status = 1;
try {
  status = run(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
} finally {
  if (restoreNodeNativeModules(root) !== 0) status ||= 1;
}
process.exit(status);
