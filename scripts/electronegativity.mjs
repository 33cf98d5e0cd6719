#!/usr/bin/env node
// CI gate: Electronegativity over the desktop shell (main/electron, preload) and the page it
// loads (renderer/index.html, for the CSP checks). Writes test-results/electronegativity.sarif
// and .json, prints every finding, and exits 1 when a HIGH severity finding remains.
//
// The package's own CLI is unusable here (its index.js expects the commander 2 API and gets
// the hoisted commander 14), so this calls its runner module, which is what the CLI wraps.
// It parses TypeScript itself (Babel with the typescript plugin), so it reads our sources
// directly: the findings point at lines of the real files, not of compiled output.
// Usage: node scripts/electronegativity.mjs [--root DIR]   (DIR defaults to this checkout)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const rootArg = process.argv.indexOf('--root');
const root = rootArg > 0 ? process.argv[rootArg + 1] : repo;
const results = join(root, 'test-results');
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');

/**
 * Findings that need a human decision rather than a code change; each says why it is fine.
 * They stay in the report (nothing is excluded from the scan); only HIGH fails the build.
 */
const REVIEWED = {
  PRELOAD_JS_CHECK: 'the preload exposes two functions (call, subscribe) and a platform string through contextBridge; no ipcRenderer or Node objects cross',
  OPEN_EXTERNAL_JS_CHECK: 'shell.openExternal is only reached after isAllowedExternalUrl (http/https, no credentials), tested in main/electron/external-url.test.ts',
  CSP_GLOBAL_CHECK:
    "style-src allows 'unsafe-inline' for Mantine's style attributes; scripts are 'self' only. The header value is a constant (DESKTOP_CSP) the scanner cannot read; main/electron/csp.test.ts checks both policies",
};

/** Copy what the scan should see into a scratch folder: shell sources (not tests), preload, page, package.json. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-electronegativity-'));
  const copy = (rel, filter = () => true) => {
    const from = join(root, rel);
    if (!existsSync(from)) return;
    cpSync(from, join(dir, rel), { recursive: true, filter: (src) => filter(src) });
  };
  copy('main/electron', (src) => !src.endsWith('.test.ts'));
  mkdirSync(join(dir, 'preload'), { recursive: true });
  for (const f of readdirSync(join(root, 'preload'))) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) copy(`preload/${f}`);
  copy('renderer/index.html');
  copy('package.json'); // Electronegativity reads the Electron version from it
  return dir;
}

const staged = stage();
mkdirSync(results, { recursive: true });
let report;
try {
  report = await run(
    {
      input: staged,
      output: join(results, 'electronegativity.sarif'),
      isSarif: true,
      customScan: [],
      excludeFromScan: [],
      isRelative: true,
      isVerbose: true,
      parserPlugins: [],
    },
    false,
  );
} finally {
  rmSync(staged, { recursive: true, force: true });
}

const findings = report.issues.map((i) => ({
  id: i.id,
  severity: i.severity.name,
  confidence: i.confidence.name,
  file: isAbsolute(i.file) ? relative(staged, i.file) : i.file,
  line: i.location?.line ?? 0,
  column: i.location?.column ?? 0,
  manualReview: Boolean(i.manualReview),
  description: i.description,
  reviewed: REVIEWED[i.id] ?? null,
}));
writeFileSync(join(results, 'electronegativity.json'), JSON.stringify({ checks: report.globalChecks + report.atomicChecks, errors: report.errors, findings }, null, 2) + '\n');

const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
findings.sort((a, b) => order[a.severity] - order[b.severity] || a.file.localeCompare(b.file) || a.line - b.line);
const count = (s) => findings.filter((f) => f.severity === s).length;
console.log(`electronegativity: ${report.globalChecks + report.atomicChecks} checks; ${count('HIGH')} high, ${count('MEDIUM')} medium, ${count('LOW')} low, ${count('INFORMATIONAL')} informational`);
for (const f of findings) {
  console.log(`  ${f.severity.padEnd(6)} ${f.id} ${f.file}:${f.line}:${f.column}${f.manualReview ? ' (review)' : ''}`);
  if (f.reviewed && f.severity !== 'HIGH') console.log(`         reviewed: ${f.reviewed}`);
  else console.log(`         ${f.description}`);
}
const parseErrors = report.errors.filter((e) => !e.tolerable);
for (const e of parseErrors) console.log(`  PARSE ERROR ${isAbsolute(e.file) ? relative(staged, e.file) : e.file}: ${e.message}`);
console.log(`  report: ${relative(process.cwd(), join(results, 'electronegativity.sarif')) || results}`);

const high = findings.filter((f) => f.severity === 'HIGH');
if (high.length > 0 || parseErrors.length > 0) {
  console.error(`electronegativity: FAILED — ${high.length} high severity finding(s)${parseErrors.length ? `, ${parseErrors.length} file(s) not parsed` : ''}`);
  process.exit(1);
}
