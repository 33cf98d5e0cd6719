#!/usr/bin/env node
// `npm test`: unit + integration (vitest, real SQLite and real servers on 127.0.0.1),
// then the web e2e suite (Playwright in Chromium against `dossier serve`).
// Ends with one line "N passed, N failed" over every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const bin = (n) => join(root, 'node_modules', '.bin', n);
const only = process.argv[2]; // optional: "unit" or "e2e"

let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
}

if (!only || only === 'unit') {
  const out = join(results, 'unit.json');
  rmSync(out, { force: true });
  const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    // A suite that failed to load counts as a failure even with no test inside.
    if (code !== 0 && j.numFailedTests === 0) failed += Math.max(1, j.numFailedTestSuites ?? 1);
  } else if (code !== 0) failed += 1;
}

if (!only || only === 'e2e') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`e2e: ${chromium} not found (apt-get install -y chromium); counting the e2e suite as failed`);
    failed += 1;
  } else if (run('npm', ['run', '--silent', 'build:renderer']) !== 0) {
    console.error('e2e: renderer build failed');
    failed += 1;
  } else {
    const out = join(results, 'e2e.json');
    rmSync(out, { force: true });
    const code = run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts']);
    if (existsSync(out)) {
      const s = JSON.parse(readFileSync(out, 'utf8')).stats ?? {};
      passed += (s.expected ?? 0) + (s.flaky ?? 0);
      failed += s.unexpected ?? 0;
      skipped += s.skipped ?? 0;
      if (code !== 0 && !s.unexpected) failed += 1;
    } else if (code !== 0) failed += 1;
  }
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
