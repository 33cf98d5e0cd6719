import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import type { reportMethods } from '../../../preload/contract/reports.ts';
import { runExport } from './export.ts';
import { importInvestigation } from './import-investigation.ts';
import { importEntities } from './import-entities.ts';
import { timeline } from './timeline.ts';
import { chromiumPdf, type PdfRenderer } from './pdf.ts';

export interface ReportDeps {
  /** The desktop prints with Electron; elsewhere the system Chromium through playwright-core. */
  pdf?: PdfRenderer;
}

export function createReportHandlers(ctx: CoreContext, deps: ReportDeps = {}): HandlersOf<typeof reportMethods> {
  const pdf = deps.pdf ?? chromiumPdf();
  return {
    'reports.export': (input) => runExport(ctx, input, pdf),
    'reports.importInvestigation': (input) => importInvestigation(ctx, input),
    'reports.importEntities': (input) => importEntities(ctx, input),
    'reports.timeline': (input) => timeline(ctx, input),
  };
}
