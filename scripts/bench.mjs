#!/usr/bin/env node
// `npm run bench [P1 P3 ...]`: runs each bench/p*.ts in its own process (so one
// benchmark's memory does not colour the next) and prints a summary table.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const want = process.argv.slice(2).map((s) => s.toUpperCase());
const files = readdirSync(join(root, 'bench'))
  .filter((f) => /^p\d+.*\.ts$/.test(f))
  .filter((f) => want.length === 0 || want.includes(f.split('-')[0].toUpperCase()))
  .sort((a, b) => parseInt(a.slice(1)) - parseInt(b.slice(1)));

const results = [];
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', f)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout.split('\n').filter((l) => !l.startsWith('BENCH ')).join('\n'));
  for (const line of r.stdout.split('\n')) if (line.startsWith('BENCH ')) results.push(JSON.parse(line.slice(6)));
  if (r.status !== 0) results.push({ id: f, what: 'crashed', pass: false, figure: NaN, unit: '', baseline: NaN, ratio: NaN, floor: '' });
}

console.log('\n=== summary');
for (const r of results) {
  console.log(`${r.id.padEnd(4)} ${String(r.what).padEnd(58)} ${Number(r.figure).toFixed(1).padStart(10)} ${String(r.unit).padEnd(8)} baseline ${Number(r.baseline).toFixed(1).padStart(10)}  ratio ${Number(r.ratio).toFixed(2).padStart(6)}  floor ${r.floor}  ${r.pass ? 'PASS' : 'BELOW'}`);
}
process.exit(0);
