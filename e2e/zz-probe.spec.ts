import { test } from '@playwright/test';
import { createCore } from '../main/core/core.ts';
import { mkdtempSync } from 'node:fs';
test('probe', async () => { const c = await createCore({ dataDir: mkdtempSync('/tmp/pr-'), mode: 'test' }); console.log('core ok'); await c.close(); });
