import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createCore, type DossierCore } from '../../main/core/core.ts';
import { tempDir } from '../../main/core/testing/temp-core.ts';
import { fixtureManifest } from '../../main/core/testing/fixtures/sites-manifest.ts';
import { closeHttpAgents } from '../../main/core/tools/http.ts';

/** The P2 workload, shared by the executor and tool-path variants. */
export const P2 = { N: 1000, PARALLEL: 50, DELAY_MS: 50, ROUNDS: 3 } as const;
export const P2_IDEAL_S = (P2.N / P2.PARALLEL) * (P2.DELAY_MS / 1000);

export interface P2Setup {
  fx: { url: string };
  core: DossierCore;
  dispose(): Promise<void>;
}

/**
 * The slow-site fixture in a process of its own (like a remote site), and a
 * core on a fresh data directory whose manifest holds only that site.
 */
export async function startP2(dirPrefix: string): Promise<P2Setup> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./site-fixture-server.ts', import.meta.url)), String(P2.DELAY_MS), 'user1,user500'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const fx = JSON.parse(String(first.value)) as { url: string };
  const dir = tempDir(dirPrefix);
  writeFileSync(join(dir, 'sites.json'), JSON.stringify(fixtureManifest(fx.url, ['FxSlow'])));
  const core = await createCore({ dataDir: dir, mode: 'test' });
  return {
    fx,
    core,
    async dispose() {
      await core.close();
      await closeHttpAgents();
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
