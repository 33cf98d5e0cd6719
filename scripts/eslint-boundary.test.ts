import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

describe('layer boundary: electron stays in main/electron and preload', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const code = `import { app } from 'electron';\nexport const x = app;\n`;

  it.each(['main/core/leak.ts', 'main/cli/leak.ts', 'renderer/src/leak.ts', 'main/serve/leak.ts'])('refuses electron in %s', async (file) => {
    const [res] = await eslint.lintText(code, { filePath: file });
    // The rule is typescript-eslint's (it also knows `import type`, which the layering rules allow for table types).
    expect(res!.messages.map((m) => m.ruleId)).toContain('@typescript-eslint/no-restricted-imports');
  });

  it.each(['main/electron/ok.ts', 'preload/index.ts'])('allows electron in %s', async (file) => {
    const [res] = await eslint.lintText(code, { filePath: file });
    expect(res!.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports'))).toHaveLength(0);
  });
});

describe('layers import only downward', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const cases: [string, string, boolean][] = [
    ['main/core/batch/leak.ts', `import { buildProgram } from '../../cli/program.ts';\nexport const x = buildProgram;\n`, false],
    ['main/core/util/leak.ts', `import { Executor } from '../batch/executor.ts';\nexport const x = Executor;\n`, false],
    ['main/core/db/leak.ts', `import type { BatchTables } from '../batch/tables.ts';\nexport type X = BatchTables;\n`, true],
    ['preload/contract/leak.ts', `import { createCore } from '../../main/core/core.ts';\nexport const x = createCore;\n`, false],
    ['renderer/src/lib/leak.ts', `import { createCore } from '../../../main/core/core.ts';\nexport const x = createCore;\n`, false],
    ['main/cli/leak.ts', `import { createCore } from '../core/core.ts';\nexport const x = createCore;\n`, true],
  ];
  it.each(cases)('%s: allowed=%s', async (file, text, allowed) => {
    const [res] = await eslint.lintText(text, { filePath: file });
    const refused = res!.messages.some((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
    expect(refused).toBe(!allowed);
  });
});
