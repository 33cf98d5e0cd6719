import type { ExportFile, ExportFormat } from '../../../preload/contract/reports.ts';
import type { ExportOptions } from '../../../preload/contract/reports.ts';
import type { z } from 'zod';
import type { ExportSnapshot } from './rows.ts';
import type { Progress } from './progress.ts';
import type { PdfRenderer } from './pdf.ts';

/** What every exporter gets: the snapshot to read, the folder to write into, and the report's facts. */
export interface ExportJob {
  snap: ExportSnapshot;
  dir: string;
  format: ExportFormat;
  options: z.output<typeof ExportOptions>;
  dossierVersion: string;
  /** Epoch ms of the export, written into the files. */
  now: number;
  progress: Progress;
  pdf: PdfRenderer;
}

/** One module per format; each streams its rows to files in `job.dir` and says which. */
export type Exporter = (job: ExportJob) => Promise<ExportFile[]>;
