import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { expect, shot, test, type ServedApp } from './support/serve.ts';
import { GraphPage } from './pages/graph.page.ts';

const SITES = ['GitHub', 'Reddit', 'Keybase', 'GitLab', 'Medium', 'Twitch', 'Steam', 'Vimeo'];
const USERS = 600;
const ACCOUNTS = 2_400;
const EMAILS = 300;
const TOTAL = USERS + ACCOUNTS + EMAILS;

/** Several thousand entities through the same CSV import a user would run (`dossier entity import`). */
async function bigInvestigation(app: ServedApp): Promise<string> {
  const inv = (await app.cli(['investigation', 'create', 'Case Murmuration'])) as { id: string };
  const dir = mkdtempSync(join(tmpdir(), 'dossier-graph-scale-'));
  const write = (name: string, header: string, rows: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, [header, ...rows].join('\n') + '\n');
    return file;
  };
  const users = write(
    'users.csv',
    'value',
    Array.from({ length: USERS }, (_, i) => `handle${i}`),
  );
  const accounts = write(
    'accounts.csv',
    'value,site',
    Array.from({ length: ACCOUNTS }, (_, i) => `https://${SITES[i % SITES.length]!.toLowerCase()}.example/handle${i % USERS}/${i},${SITES[i % SITES.length]}`),
  );
  const emails = write(
    'emails.csv',
    'value',
    Array.from({ length: EMAILS }, (_, i) => `handle${i}@mail${i % 7}.example`),
  );
  await app.cli(['entity', 'import', users, '--investigation', inv.id, '--type', 'username', '--value-column', 'value']);
  await app.cli(['entity', 'import', accounts, '--investigation', inv.id, '--type', 'account', '--value-column', 'value', '--label-column', 'site']);
  await app.cli(['entity', 'import', emails, '--investigation', inv.id, '--type', 'email', '--value-column', 'value']);
  return inv.id;
}

/** Width, height and the top-left pixel of an 8-bit RGBA PNG (the first pixel survives every PNG filter unchanged). */
function decodePng(png: Buffer): { width: number; height: number; corner: number[] } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect([png[24], png[25]]).toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, corner: [...raw.subarray(1, 5)] };
}

test('a graph of several thousand entities opens folded into clusters, unfolds one, and exports a full-size PNG', async ({ page, app }) => {
  test.setTimeout(120_000);
  const id = await bigInvestigation(app);
  await page.setViewportSize({ width: 1400, height: 900 });
  const graph = new GraphPage(page, app);
  await graph.goto(id);
  await expect(graph.counts).toHaveText(`${TOTAL.toLocaleString('en-US')} entities · 0 links`);

  // Too big to draw as dots: the view says so and starts folded by type.
  await expect(graph.largeGraphBanner).toContainText(`${TOTAL.toLocaleString('en-US')} entities`);
  await expect(graph.largeGraphBanner).toContainText('folded into 3 clusters');
  await expect(graph.canvas).toHaveAttribute('data-grouping', 'type');
  await expect(graph.clusterButtons).toHaveText(['account (2,400)', 'username (600)', 'email (300)']);
  await shot(page, 'graph-scale-clustered');

  // Unfold the usernames: the others stay folded.
  await graph.cluster('username (600)').click();
  await expect(graph.clusterButtons).toHaveText(['account (2,400)', 'email (300)']);
  await expect(graph.largeGraphBanner).toContainText('2,700 of them folded into 2 clusters');
  await shot(page, 'graph-scale-opened');

  // Accounts by site: one cluster per site.
  await graph.groupBy('Group by site');
  await expect(graph.clusterButtons).toHaveCount(SITES.length);
  await expect(graph.cluster('GitHub (300)')).toBeVisible();
  await shot(page, 'graph-scale-by-site');

  // A found entity inside a cluster is unfolded to be shown and selected.
  await graph.find('handle7', /handle7 · username/);
  await expect(graph.details.getByRole('heading', { name: 'handle7' })).toBeVisible();

  // Export: larger than the screen's canvas, on a solid background.
  const png = decodePng(await graph.exportPng());
  const box = (await graph.canvas.boundingBox())!;
  expect(png.width).toBeGreaterThanOrEqual(2400);
  expect(png.width / png.height).toBeCloseTo(box.width / box.height, 1);
  expect(png.corner).toEqual([255, 255, 255, 255]);
  // The view and selection come back as they were.
  await expect(graph.details.getByRole('heading', { name: 'handle7' })).toBeVisible();

  // Show all: every dot drawn, the banner still explains it.
  await graph.groupBy('No grouping');
  await expect(graph.clusterButtons).toHaveCount(0);
  await expect(graph.largeGraphBanner).toContainText('names appear when you zoom in');
  await shot(page, 'graph-scale-all');
});
