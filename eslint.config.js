import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layers import only downward (docs/CONVENTIONS.md). Each block below repeats the electron rule
// because a later `no-restricted-imports` replaces an earlier one instead of adding to it.
const electronPaths = [{ name: 'electron', message: 'Only main/electron/ and preload/ may import electron; the core runs under plain Node.' }];
const electronPatterns = [{ group: ['electron/*'], message: 'Only main/electron/ and preload/ may import electron.' }];
const restrict = (...patterns) => ({
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': ['error', { paths: electronPaths, patterns: [...electronPatterns, ...patterns] }],
});
const noElectron = restrict();
const DOMAINS = [
  'analytics',
  'batch',
  'entities',
  'egress',
  'events',
  'graph',
  'investigations',
  'relay',
  'reports',
  'search',
  'settings',
  'site-health',
  'sync',
  'templates',
  'tools',
  'vault',
  'verdicts',
  'watches',
  'webhooks',
];
const faces = {
  group: ['**/cli/**', '**/serve/**', '**/electron/**', '**/renderer/**', '**/sync-server/**'],
  message: 'The core imports no face (CLI, serve, electron shell, renderer, sync server): faces import the core.',
};
const noDomains = {
  group: [...DOMAINS.map((d) => `**/core/${d}/**`), ...DOMAINS.map((d) => `../${d}/**`), '**/testing/**'],
  allowTypeImports: true,
  message: "util/ and db/ are below every domain: they may name a domain's table types, never import its code.",
};
const storageFree = {
  group: ['better-sqlite3', 'kysely', 'pg', '../*.ts', '../db/**', '**/core/db/**'],
  allowTypeImports: false,
  message: 'webhooks/delivery/ is shared with the team server: it imports no storage code and nothing from the desktop engine around it.',
};
const noMain = {
  group: ['**/main/**', '../main/**'],
  allowTypeImports: false,
  message: 'The renderer reaches the core only through api/transport.ts and the contract in preload/contract/.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-cli/', 'dist-electron/', 'renderer/dist/', 'release/', 'test-results/', 'coverage/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-empty-pattern': 'off',
      ...noElectron,
    },
  },
  { files: ['main/core/**/*.ts'], ignores: ['main/core/**/*.test.ts', 'main/core/testing/**'], rules: restrict(faces) },
  { files: ['main/core/util/**/*.ts', 'main/core/db/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(faces, noDomains) },
  { files: ['main/core/webhooks/delivery/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(faces, storageFree) },
  {
    files: ['preload/contract/**/*.ts'],
    rules: restrict(
      { ...noMain, message: 'The contract is the bottom layer: it imports nothing from main/ or renderer/.' },
      { group: ['**/renderer/**'], message: 'The contract imports nothing from renderer/.' },
    ),
  },
  { files: ['renderer/src/**/*.{ts,tsx}'], ignores: ['**/*.test.ts'], rules: restrict(noMain) },
  {
    // The desktop shell and the preload are the only places electron may be imported.
    files: ['main/electron/**', 'preload/index.ts'],
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
