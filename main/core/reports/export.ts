import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { ExportFormat, ExportInvestigation, ExportResult } from '../../../preload/contract/reports.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { writeEvent } from '../events/outbox.ts';
import { newId } from '../util/ids.ts';
import { iso } from '../util/time.ts';
import type { Exporter } from './exporter.ts';
import { ExportSnapshot } from './rows.ts';
import { Progress } from './progress.ts';
import type { PdfRenderer } from './pdf.ts';
import { exportJson } from './json.ts';
import { exportCsv } from './csv.ts';
import { exportGraphml } from './graphml.ts';
import { exportGexf } from './gexf.ts';
import { exportHtml } from './html.ts';
import { exportPdf } from './pdf-export.ts';

export const EXPORTERS: Record<ExportFormat, Exporter> = {
  json: exportJson,
  csv: exportCsv,
  graphml: exportGraphml,
  gexf: exportGexf,
  html: exportHtml,
  pdf: exportPdf,
};

/** Finished exports wait here for their face to hand them on; a day later they are removed. */
const KEEP_MS = 24 * 3_600_000;
const ID_RE = /^exp_[0-9a-f]+$/;

export function exportsDir(dataDir: string): string {
  return join(dataDir, 'exports');
}

function sweep(dataDir: string, now: number): void {
  const root = exportsDir(dataDir);
  if (!existsSync(root)) return;
  for (const d of readdirSync(root)) {
    const p = join(root, d);
    try {
      if (now - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // Another export removed it first.
    }
  }
}

/** A file of a finished export, checked so a request cannot leave the export's folder. */
export function exportFile(dataDir: string, id: string, name: string): string {
  if (!ID_RE.test(id)) throw new DossierError('not_found', `export ${id} not found`);
  const dir = join(exportsDir(dataDir), id);
  if (!existsSync(dir) || !readdirSync(dir).includes(name)) throw new DossierError('not_found', `export ${id} has no file ${name}`);
  return join(dir, name);
}

/**
 * Export one investigation: a snapshot read on its own connection, streamed
 * by the format's exporter into `<dataDir>/exports/<id>/`, then the
 * `report.generated` event. A failed export leaves no files behind.
 */
export async function runExport(ctx: CoreContext, input: z.output<typeof ExportInvestigation>, pdf: PdfRenderer): Promise<ExportResult> {
  const now = ctx.clock.now();
  sweep(ctx.dataDir, now);
  const snap = await ExportSnapshot.open(ctx, { investigationId: input.investigationId, includeFalsePositives: input.options.includeFalsePositives });
  const id = newId('exp');
  const dir = join(exportsDir(ctx.dataDir), id);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { entities, links, runs } = snap.counts;
    const total = entities + links + (input.format === 'json' || input.format === 'html' || input.format === 'pdf' ? runs : 0);
    const progress = new Progress(ctx.bus, { jobId: id, investigationId: input.investigationId, kind: 'export', format: input.format }, total);
    const files = await EXPORTERS[input.format]({
      snap,
      dir,
      format: input.format,
      options: input.options,
      dossierVersion: ctx.version,
      now,
      progress,
      pdf,
    });
    progress.finish();
    const result: ExportResult = {
      id,
      investigationId: input.investigationId,
      format: input.format,
      files,
      entities,
      links,
      runs,
      falsePositivesLeftOut: snap.excluded.size,
      createdAt: iso(now),
    };
    await ctx.db.transaction().execute((trx) =>
      writeEvent(trx, 'report.generated', { report: result, investigation: { id: snap.investigation.id, name: snap.investigation.name } }, { investigationId: input.investigationId, now }),
    );
    return result;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    snap.close();
  }
}
