// P14 (#18 item 7): a pasted list of 50,000 lines in the New batch dialog of the real renderer (Chromium, browser
// mode): from the paste to the count shown (parsed in a Web Worker), and from "Start batch" to the batch page,
// beside a bare `batches.create` call with the same 50,000 values over the same HTTP bridge. Target: well under 2 s.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { startServe } from '../e2e/support/serve.ts';
import { choose, pasteInto } from '../e2e/pages/batches.page.ts';
import { report } from './lib/report.ts';

const N = 50_000;
const root = fileURLToPath(new URL('..', import.meta.url));
spawnSync('npm', ['run', 'build:renderer'], { cwd: root, stdio: 'ignore' });
const app = await startServe();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const inv = (await app.cli(['investigation', 'create', 'P14'])) as { id: string };
  const call = async (method: string, input: unknown) => {
    const res = await fetch(`${new URL(app.url).origin}/api/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
      body: JSON.stringify(input),
    });
    if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { result: { id: string } }).result;
  };
  const values = Array.from({ length: N }, (_, i) => `bare${i}`);
  const t0 = performance.now();
  const bare = await call('batches.create', { investigationId: inv.id, tool: 'username.sites', source: { kind: 'list', values } });
  const bareMs = performance.now() - t0;
  await call('batches.cancel', { id: bare.id });

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(app.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Batches' }).click();
  await page.getByRole('button', { name: 'New batch' }).click();
  const d = page.getByRole('dialog', { name: 'New batch' });
  await choose(page, d, 'Investigation', 'P14');
  await choose(page, d, 'Tool', /\(username\.sites\)/);
  const text = Array.from({ length: N }, (_, i) => `user${i}`).join('\n');
  const t1 = performance.now();
  await pasteInto(d.getByRole('textbox', { name: 'Inputs' }), text);
  await d.getByText(`${N.toLocaleString('en-US')} distinct values`).waitFor();
  const countMs = performance.now() - t1;
  const t2 = performance.now();
  await d.getByRole('button', { name: 'Start batch' }).click();
  await page.getByRole('heading', { level: 2, name: /username\.sites/ }).waitFor();
  await page.getByTestId('batch-done').waitFor();
  const startMs = performance.now() - t2;
  const id = new URL(page.url()).hash.split('/').pop()!;
  await call('batches.cancel', { id });

  report({
    id: 'P14c',
    what: `${N.toLocaleString('en-US')} pasted lines: paste → count shown (worker parse)`,
    figure: countMs,
    unit: 'ms',
    baseline: bareMs,
    baselineWhat: 'bare batches.create of the same values over HTTP',
    floor: '< 2000 ms',
    pass: countMs < 2000,
    higherIsBetter: false,
  });
  report({
    id: 'P14',
    what: `${N.toLocaleString('en-US')} pasted lines: Start batch → batch page`,
    figure: startMs,
    unit: 'ms',
    baseline: bareMs,
    baselineWhat: 'bare batches.create of the same values over HTTP',
    floor: '< 2000 ms',
    pass: startMs < 2000,
    higherIsBetter: false,
  });
} finally {
  await browser.close();
  await app.stop();
}
