import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where bundled resources (site manifest, disposable domains) live: the
 * checkout's resources/ folder, or DOSSIER_RESOURCES_DIR (the packaged app
 * sets it to its resources path).
 */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOSSIER_RESOURCES_DIR) return env.DOSSIER_RESOURCES_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources', 'sites.json'))) return join(dir, 'resources');
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../resources');
}

export function resourceFile(name: string): string {
  return join(resourcesDir(), name);
}
