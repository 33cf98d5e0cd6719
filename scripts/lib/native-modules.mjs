// better-sqlite3 is a native module: one build per ABI. The checkout keeps the Node build
// (tests, the CLI and browser mode run on Node); Electron needs its own. Packaging and the
// desktop e2e suite switch to the Electron build for a while and switch back with this.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Rebuild better-sqlite3 for Electron (electron-builder's install-app-deps). Returns the exit status. */
export function useElectronNativeModules(root) {
  console.log('native modules: rebuilding better-sqlite3 for Electron');
  return spawnSync(process.execPath, [join(root, 'node_modules', 'electron-builder', 'cli.js'), 'install-app-deps'], { cwd: root, stdio: 'inherit' }).status ?? 1;
}

/**
 * Put the Node build back. The rebuild marker goes too, so the next switch to Electron
 * rebuilds instead of trusting a marker that no longer matches the binary.
 */
export function restoreNodeNativeModules(root) {
  console.log('native modules: restoring the Node build of better-sqlite3 for tests and the CLI');
  rmSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', '.forge-meta'), { force: true });
  const status = spawnSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;
  if (status !== 0) console.error('native modules: `npm rebuild better-sqlite3` failed; run it by hand before `npm test`');
  return status;
}
