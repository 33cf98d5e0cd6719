import { defineConfig } from '@playwright/test';

/**
 * Opt-in desktop e2e: drives the real Electron app (built shell + built renderer).
 * Needs Electron's binary, which cannot be downloaded on this project's build machines,
 * so it is not part of `npm test`. Run: DOSSIER_E2E_ELECTRON=1 npm run test:electron
 */
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: '../test-results/e2e-electron',
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e-electron.json' }]],
});
