#!/usr/bin/env node
// `DOSSIER_E2E_ELECTRON=1 npm run test:electron`: the opt-in desktop e2e suite (e2e-electron/).
// Builds the renderer and the shell, switches better-sqlite3 to its Electron build for the
// run, and restores the Node build afterwards. Without DOSSIER_E2E_ELECTRON=1 the specs
// are skipped (and nothing is rebuilt).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreNodeNativeModules, useElectronNativeModules } from './lib/native-modules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;
const playwright = () => run(process.execPath, [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', 'e2e-electron/playwright.config.ts', ...process.argv.slice(2)]);

if (process.env.DOSSIER_E2E_ELECTRON !== '1') process.exit(playwright()); // reports the specs as skipped

if (run(npm, ['run', '--silent', 'build']) !== 0) process.exit(1);
let status = 1;
try {
  if (useElectronNativeModules(root) !== 0) throw new Error('could not rebuild better-sqlite3 for Electron');
  status = playwright();
} catch (err) {
  console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  if (restoreNodeNativeModules(root) !== 0) status ||= 1;
}
process.exit(status);
