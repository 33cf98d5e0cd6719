#!/usr/bin/env node
// The CLI as one ESM bundle (plus lazily loaded chunks) in dist-cli/cli/, built at install time
// (`prepare`) and by `npm run build`, so `dossier` starts without compiling TypeScript (tsx took ~3 s).
// dist-cli/cli/ sits two folders below the root on purpose: the core finds package.json and
// renderer/dist two folders above its own file (import.meta.url), as it does from main/core and main/serve.
// Dependencies are bundled too: resolving and lexing a few hundred CommonJS files from node_modules
// cost more than the TypeScript ever did. Native and self-locating packages stay external.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist-cli', 'cli');

rmSync(join(root, 'dist-cli'), { recursive: true, force: true });
await build({
  entryPoints: { dossier: join(root, 'main', 'cli', 'main.ts') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'playwright-core', 'pino', 'thread-stream', 'undici', 'electron'],
  // CommonJS dependencies inside an ESM bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __dossierRequire } from 'node:module'; const require = __dossierRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
