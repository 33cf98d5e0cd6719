import { join } from 'node:path';
import { EXPORT_CONTENT_TYPES } from './content-types.ts';
import { INVESTIGATION_DOCUMENT_VERSION } from '../../../preload/contract/reports.ts';
import { iso } from '../util/time.ts';
import type { Exporter } from './exporter.ts';
import { FileSink } from './sink.ts';
import { docEntity, docInvestigation, docLink, docToolRun } from './doc-rows.ts';

/**
 * The lossless `dossier-investigation` document (version 1), streamed: the
 * head, then one entity, link and run per line. `investigation import` reads it back.
 */
export const exportJson: Exporter = async (job) => {
  const { snap } = job;
  const name = 'investigation.json';
  const out = new FileSink(join(job.dir, name));
  try {
    const head = {
      format: 'dossier-investigation',
      version: INVESTIGATION_DOCUMENT_VERSION,
      exportedAt: iso(job.now),
      dossierVersion: job.dossierVersion,
      investigation: docInvestigation(snap.investigation),
    };
    await out.write(JSON.stringify(head).slice(0, -1));
    const list = async <T>(key: string, rows: Iterable<T>, map: (r: T) => unknown) => {
      await out.write(`,\n${JSON.stringify(key)}:[`);
      let first = true;
      for (const r of rows) {
        const p = out.write((first ? '\n' : ',\n') + JSON.stringify(map(r)));
        if (p) await p;
        first = false;
        job.progress.tick();
      }
      await out.write(']');
    };
    await list('entities', snap.entities(), docEntity);
    await list('links', snap.links(), docLink);
    // A run keeps its history, but not the ids of entities the export left out (they would point at nothing).
    const keep = snap.excluded.size ? (id: string) => !snap.excluded.has(id) : null;
    await list('toolRuns', snap.runs(), (r) => {
      const run = docToolRun(r);
      if (keep) {
        run.entityIds = run.entityIds.filter(keep);
        if (run.input.entityId !== null && !keep(run.input.entityId)) run.input.entityId = null;
      }
      return run;
    });
    await out.write('}\n');
    return [{ name, bytes: await out.close(), contentType: EXPORT_CONTENT_TYPES.json! }];
  } catch (e) {
    out.destroy();
    throw e;
  }
};
