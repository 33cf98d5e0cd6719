import { join } from 'node:path';
import { EXPORT_CONTENT_TYPES } from './content-types.ts';
import { rmSync, statSync } from 'node:fs';
import type { Exporter } from './exporter.ts';
import { exportHtml } from './html.ts';

/** The HTML report printed to PDF by the job's renderer; the intermediate HTML is not kept. */
export const exportPdf: Exporter = async (job) => {
  const [html] = await exportHtml(job);
  const htmlPath = join(job.dir, html!.name);
  const name = 'report.pdf';
  const pdfPath = join(job.dir, name);
  try {
    await job.pdf(htmlPath, pdfPath);
  } finally {
    rmSync(htmlPath, { force: true });
  }
  return [{ name, bytes: statSync(pdfPath).size, contentType: EXPORT_CONTENT_TYPES.pdf! }];
};
