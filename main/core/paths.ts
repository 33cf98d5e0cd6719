import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Dossier';

/** The OS path Electron's `userData` uses, so CLI, browser mode and desktop share data. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.DOSSIER_HOME) return env.DOSSIER_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export function dataFiles(dataDir: string) {
  return {
    database: join(dataDir, 'dossier.db'),
    keyFile: join(dataDir, 'secret.key'),
    sites: join(dataDir, 'sites.json'),
    logs: join(dataDir, 'logs'),
  };
}
