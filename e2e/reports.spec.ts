import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect, shot, SCREENSHOTS } from './support/serve.ts';
import { InvestigationsPage } from './pages/investigations.page.ts';
import { ReportsPage } from './pages/reports.page.ts';

const SAMPLE = fileURLToPath(new URL('../resources/samples/investigation.json', import.meta.url));
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { investigation: { name: string }; entities: unknown[]; links: unknown[]; toolRuns: unknown[] };
const NAME = sample.investigation.name;

test.describe('reports and interop', () => {
  test('import the sample, export it in every format, and read the files', async ({ page, app }) => {
    test.setTimeout(240_000);
    const list = new InvestigationsPage(page, app);
    const reports = new ReportsPage(page);
    await list.goto();
    await reports.importInvestigation(SAMPLE);
    await expect(page.getByRole('heading', { name: NAME, level: 2 })).toBeVisible();
    await expect(page.getByText(`${sample.entities.length} entities`, { exact: true })).toBeVisible();

    const dir = mkdtempSync(join(tmpdir(), 'dossier-e2e-exports-'));
    const save = async (d: import('@playwright/test').Download) => {
      const p = join(dir, d.suggestedFilename());
      await d.saveAs(p);
      return p;
    };

    const [json] = await reports.export('JSON');
    const doc = JSON.parse(readFileSync(await save(json!), 'utf8')) as { format: string; entities: unknown[]; links: unknown[] };
    expect(doc.format).toBe('dossier-investigation');
    expect(doc.entities).toHaveLength(sample.entities.length);
    expect(doc.links).toHaveLength(sample.links.length);

    const csv = await reports.export('CSV');
    expect(csv.map((d) => d.suggestedFilename()).sort()).toEqual(['entities.csv', 'links.csv']);
    const entitiesCsv = readFileSync(await save(csv.find((d) => d.suggestedFilename() === 'entities.csv')!), 'utf8');
    expect(entitiesCsv.startsWith('\uFEFFid,type,value,label,first_seen,last_seen,source_tool,evidence_sha256')).toBe(true);

    const [graphml] = await reports.export('GraphML');
    expect(readFileSync(await save(graphml!), 'utf8')).toContain('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">');
    const [gexf] = await reports.export('GEXF');
    const gexfPath = await save(gexf!);
    expect(readFileSync(gexfPath, 'utf8')).toContain('xmlns="http://gexf.net/1.3"');
    execFileSync('xmllint', ['--noout', gexfPath]);

    const [html] = await reports.export('HTML report');
    const htmlPath = await save(html!);
    expect(readFileSync(htmlPath, 'utf8')).toContain("content=\"default-src 'none';");
    // What the reader sees when opening the downloaded report.
    await page.goto(`file://${htmlPath}`);
    await expect(page.getByRole('heading', { name: NAME, level: 1 })).toBeVisible();
    await shot(page, 'reports-html-report');
    await page.goBack();

    const [pdf] = await reports.export('PDF report');
    const pdfPath = await save(pdf!);
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' })).toContain(NAME);
    // The PDF's first page as a PNG beside the other screenshots.
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(SCREENSHOTS, 'reports-pdf-page1')]);
  });

  test('the timeline renders the seeded data and zooms', async ({ page, app }) => {
    test.setTimeout(120_000);
    await app.cli(['investigation', 'import', SAMPLE]);
    const list = new InvestigationsPage(page, app);
    const reports = new ReportsPage(page);
    await list.goto();
    await list.open(NAME);
    await reports.openTab('Timeline');
    await expect(page.getByRole('img', { name: 'Timeline chart' })).toBeVisible();
    // header row + every entity and run
    await expect(reports.timelineItems).toHaveCount(1 + sample.entities.length + sample.toolRuns.length);
    await shot(page, 'reports-timeline');
    const whole = await reports.timelineRange.textContent();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect(reports.timelineRange).not.toHaveText(whole!);
    await expect.poll(async () => reports.timelineItems.count()).toBeLessThan(1 + sample.entities.length + sample.toolRuns.length);
    await page.getByRole('button', { name: 'Whole span' }).click();
    await expect(reports.timelineRange).toHaveText(whole!);
    // The type chips narrow the entities.
    await page.getByRole('group', { name: 'Timeline entity types' }).getByText('account', { exact: true }).click();
    await expect(reports.timelineItems).toHaveCount(1 + 3 + sample.toolRuns.length);
    await shot(page, 'reports-timeline-accounts');
    await page.getByRole('group', { name: 'Timeline entity types' }).getByText('account', { exact: true }).click();
    await expect(reports.timelineItems).toHaveCount(1 + sample.entities.length + sample.toolRuns.length);
  });

  test('the timeline honours the entity table filter, and clearing it there clears it for the table', async ({ page, app }) => {
    test.setTimeout(120_000);
    await app.cli(['investigation', 'import', SAMPLE]);
    const list = new InvestigationsPage(page, app);
    const reports = new ReportsPage(page);
    await list.goto();
    await list.open(NAME);
    // Applied on the Entities tab…
    await reports.openTab('Entities');
    await reports.filterEntitiesByType('ip');
    await expect(page.getByRole('button', { name: /^Remove filter / })).toBeVisible();
    // …it narrows the timeline's entities (runs are not entities and stay).
    await reports.openTab('Timeline');
    await expect(page.getByRole('button', { name: /^Remove filter / })).toBeVisible();
    await expect(reports.timelineItems).toHaveCount(1 + 2 + sample.toolRuns.length);
    await expect(page.getByText('2 in all that match the filter', { exact: false })).toBeVisible();
    await shot(page, 'reports-timeline-filtered');
    // Cleared on the timeline, it is cleared for the table too.
    await page.getByRole('button', { name: 'Clear all' }).click();
    await expect(reports.timelineItems).toHaveCount(1 + sample.entities.length + sample.toolRuns.length);
    await reports.openTab('Entities');
    await expect(page.getByRole('button', { name: /^Remove filter / })).toHaveCount(0);
  });

  test('entities marked false positive are left out of an export unless ticked', async ({ page, app }) => {
    test.setTimeout(180_000);
    const imported = (await app.cli(['investigation', 'import', SAMPLE])) as { investigationId: string };
    const entities = (await app.cli(['entity', 'list', '--investigation', imported.investigationId, '--type', 'account'])) as { items: { id: string; value: string }[] };
    const reddit = entities.items.find((e) => e.value.includes('reddit'))!;
    await app.cli(['verdict', 'set', reddit.id, 'false_positive']);
    const list = new InvestigationsPage(page, app);
    const reports = new ReportsPage(page);
    await list.goto();
    await list.open(NAME);
    const dir = mkdtempSync(join(tmpdir(), 'dossier-e2e-fp-'));
    const read = async (d: import('@playwright/test').Download) => {
      const p = join(dir, `${Date.now()}-${d.suggestedFilename()}`);
      await d.saveAs(p);
      return JSON.parse(readFileSync(p, 'utf8')) as { entities: { id: string; value: string }[]; links: { sourceId: string; targetId: string }[] };
    };
    const [left] = await reports.export('JSON', {
      shot: async (p) => {
        await expect(p.getByText('1 entity is marked false positive here', { exact: false })).toBeVisible();
        await shot(p, 'reports-export-false-positives');
      },
    });
    await expect(page.getByText('(1 marked false positive left out)', { exact: false })).toBeVisible();
    const out = await read(left!);
    expect(out.entities).toHaveLength(sample.entities.length - 1);
    expect(out.entities.some((e) => e.value === reddit.value)).toBe(false);
    expect(out.links).toHaveLength(sample.links.length - 1);
    const [kept] = await reports.export('JSON', { includeFalsePositives: true });
    const all = await read(kept!);
    expect(all.entities).toHaveLength(sample.entities.length);
    expect(all.entities.some((e) => e.value === reddit.value)).toBe(true);
  });

  test('entity CSV import with a column mapping', async ({ page, app }) => {
    test.setTimeout(120_000);
    const list = new InvestigationsPage(page, app);
    await list.goto();
    await list.create({ name: 'CSV target' });
    await expect(page.getByRole('heading', { name: 'CSV target', level: 2 })).toBeVisible();
    const dir = mkdtempSync(join(tmpdir(), 'dossier-e2e-csv-'));
    const csv = join(dir, 'people.csv');
    writeFileSync(csv, 'name,email,team\nAda Lovelace,ada@example.org,analysis\nGrace Hopper,grace@example.org,compilers\n');
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import entities from CSV' });
    await new ReportsPage(page).chooseFile(dialog.getByLabel('CSV file'), csv);
    await expect(dialog.getByRole('table', { name: 'CSV preview' })).toContainText('ada@example.org');
    await dialog.getByRole('combobox', { name: 'Entity type' }).click();
    await page.getByRole('option', { name: 'email', exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Value column' }).click();
    await page.getByRole('option', { name: 'email', exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Label column' }).click();
    await page.getByRole('option', { name: 'name', exact: true }).click();
    await shot(page, 'reports-csv-mapping');
    await dialog.getByRole('button', { name: 'Import entities' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('2 rows: 2 new email entities, 0 merged')).toBeVisible();
    await expect(page.getByRole('cell', { name: 'grace@example.org' }).first()).toBeVisible();
  });
});
