import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'main/electron/**/*.test.ts', 'preload/**/*.test.ts', 'sync-server/**/*.test.ts', 'renderer/src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Shell files that import electron are never imported by tests; their pure logic sits beside them.
    exclude: ['node_modules/**', 'e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
