import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

describe('layer boundary: electron stays in main/electron and preload', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const code = `import { app } from 'electron';\nexport const x = app;\n`;

  it.each(['main/core/leak.ts', 'main/cli/leak.ts', 'renderer/src/leak.ts', 'main/serve/leak.ts'])('refuses electron in %s', async (file) => {
    const [res] = await eslint.lintText(code, { filePath: file });
    expect(res!.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });

  it.each(['main/electron/ok.ts', 'preload/index.ts'])('allows electron in %s', async (file) => {
    const [res] = await eslint.lintText(code, { filePath: file });
    expect(res!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toHaveLength(0);
  });
});
