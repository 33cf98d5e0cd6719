import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noElectron = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'electron', message: 'Only main/electron/ and preload/ may import electron; the core runs under plain Node.' }],
      patterns: [{ group: ['electron/*'], message: 'Only main/electron/ and preload/ may import electron.' }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'renderer/dist/', 'release/', 'test-results/', 'coverage/', 'data/'] },
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
  {
    // The desktop shell and the preload are the only places electron may be imported.
    files: ['main/electron/**', 'preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
