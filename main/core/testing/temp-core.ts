import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type CoreOptions, type DossierCore } from '../core.ts';

/** A core over a real SQLite file in a fresh temporary data directory. */
export async function tempCore(opts: Partial<CoreOptions> = {}): Promise<DossierCore & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'dossier-test-'));
  const core = await createCore({ mode: 'test', ...opts, dataDir });
  return Object.assign(core, {
    dataDir,
    async dispose() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export function tempDir(prefix = 'dossier-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
