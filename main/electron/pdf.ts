import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';
import type { PdfRenderer } from '../core/reports/pdf.ts';
import { PDF_FOOTER } from '../core/reports/pdf.ts';

/**
 * The desktop's PDF printer: the HTML report in a hidden, sandboxed window of
 * its own session with scripts off, where every request except the report
 * file itself is cancelled, then Chromium's printToPDF.
 */
export function electronPdf(): PdfRenderer {
  return async (htmlPath, pdfPath) => {
    const allowed = pathToFileURL(htmlPath).toString();
    const ses = session.fromPartition('dossier-pdf', { cache: false });
    ses.webRequest.onBeforeRequest((details, cb) => cb({ cancel: details.url !== allowed }));
    ses.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
    const win = new BrowserWindow({
      show: false,
      webPreferences: { session: ses, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
    });
    try {
      await win.loadURL(allowed);
      const pdf = await win.webContents.printToPDF({
        printBackground: true,
        pageSize: 'A4',
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: PDF_FOOTER,
      });
      await writeFile(pdfPath, pdf);
    } finally {
      win.destroy();
    }
  };
}
