import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempCore, tempDir } from '../testing/temp-core.ts';

const run = promisify(execFile);

describe('data directory and key file', () => {
  it.skipIf(process.platform === 'win32')('creates the data directory 0700 and the key file 0600', async () => {
    const dataDir = join(tempDir(), 'fresh', 'Dossier');
    const core = await tempCore({ dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    } finally {
      await core.dispose();
    }
  });

  it('processes starting together all read the same complete key', async () => {
    const file = join(tempDir(), 'secret.key');
    const script = `import { KeyFileSecretBox } from ${JSON.stringify(new URL('./secret-box.ts', import.meta.url).pathname)};
process.stdout.write(KeyFileSecretBox.loadOrCreate(${JSON.stringify(file)}).toString('hex'));`;
    const outs = await Promise.all(Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])));
    const keys = new Set(outs.map((o) => o.stdout));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
