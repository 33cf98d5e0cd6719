import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { DossierError } from '../../../preload/contract/errors.ts';

/**
 * Prints the HTML report (a file) to a PDF file. The desktop passes one built
 * on Electron's printToPDF (main/electron/pdf.ts); everywhere else it is
 * headless Chromium through playwright-core.
 */
export type PdfRenderer = (htmlPath: string, pdfPath: string) => Promise<void>;

export const PDF_FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#6b7280"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/**
 * The system Chromium (CHROMIUM_PATH, default /usr/bin/chromium), offline,
 * with scripts off and every request the page makes aborted: the report is
 * given as content, so there is nothing it is allowed to load.
 */
export function chromiumPdf(executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): PdfRenderer {
  return async (htmlPath, pdfPath) => {
    if (!existsSync(executablePath)) {
      throw new DossierError('unavailable', `PDF export needs Chromium at ${executablePath} (install it, or set CHROMIUM_PATH)`);
    }
    const html = await readFile(htmlPath, 'utf8');
    // Loaded on the first PDF, not with the core: playwright-core costs every start ~0.25 s.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ['--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-sync', '--no-first-run', '--disable-extensions'],
    });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true, serviceWorkers: 'block', acceptDownloads: false });
      await context.route('**/*', (route) => route.abort('blockedbyclient'));
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: 300_000 });
      await page.pdf({
        path: pdfPath,
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: PDF_FOOTER,
      });
    } finally {
      await browser.close();
    }
  };
}
