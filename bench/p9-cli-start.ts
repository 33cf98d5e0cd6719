// P9 (SPEC §6): CLI start. `dossier --help` and `dossier investigation list` on an empty data
// directory, each the median of 10 starts of bin/dossier (which runs the install-time bundle),
// beside `node -e 0` measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, report } from './lib/report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'dossier');
const RUNS = 10;

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

// The bundle is built by `npm install` (prepare); make sure this run measures it, not tsx.
spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root, stdio: 'inherit' });
const bare = medianMs(['-e', '0']);
const help = medianMs([bin, '--help']);
const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-p9-'));
try {
  const list = (() => {
    // The first start creates and migrates the database; the floor is about the starts after it.
    spawnSync(process.execPath, [bin, '--data-dir', dir, 'investigation', 'list'], { cwd: root });
    return medianMs([bin, '--data-dir', dir, 'investigation', 'list']);
  })();
  report({
    id: 'P9',
    what: 'dossier --help, median of 10 starts',
    figure: help,
    unit: 'ms',
    baseline: bare,
    baselineWhat: 'node -e 0',
    floor: '< 500 ms',
    pass: help < 500,
    higherIsBetter: false,
  });
  report({
    id: 'P9l',
    what: 'dossier investigation list on an empty data dir, median of 10',
    figure: list,
    unit: 'ms',
    baseline: bare,
    baselineWhat: 'node -e 0',
    floor: '< 500 ms',
    pass: list < 500,
    higherIsBetter: false,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
