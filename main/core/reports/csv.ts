import { join } from 'node:path';
import { EXPORT_CONTENT_TYPES } from './content-types.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import type { Evidence } from '../../../preload/contract/entities.ts';
import type { Exporter } from './exporter.ts';
import { FileSink } from './sink.ts';

/**
 * `entities.csv` and `links.csv`, UTF-8 with a BOM (so spreadsheet programs
 * pick the encoding), header row, and headers Gephi's and Maltego's table
 * importers map by name (id/label, source/target). SPEC §3.8 fixes the
 * leading columns; the rest follow.
 */
export const ENTITY_COLUMNS = ['id', 'type', 'value', 'label', 'first_seen', 'last_seen', 'source_tool', 'evidence_sha256', 'evidence_url', 'evidence_status', 'evidence_observed_at', 'source_run', 'properties'] as const;
export const LINK_COLUMNS = ['source', 'target', 'type', 'source_type', 'source_value', 'target_type', 'target_value', 'id', 'run', 'created_at', 'properties'] as const;

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/** Anything a cell needs done: a formula start, a character to quote, whitespace at either end (what `trim` removes is what `\s` matches). */
const CELL_WORK = /^[=+\-@\s]|[",\r\n]|\s$/;

/** One CSV cell: prefixed with `'` when a spreadsheet would read it as a formula, quoted when it must be. */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : String(v);
  // The usual cell needs nothing: one scan, no copy (this runs 13 times per entity row).
  if (!CELL_WORK.test(s)) return s;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A row of cells: one loop, no intermediate arrays. */
function line(cells: (string | number | null | undefined)[]): string {
  let s = csvCell(cells[0]);
  for (let i = 1; i < cells.length; i++) s += ',' + csvCell(cells[i]);
  return s + '\r\n';
}

export const exportCsv: Exporter = async (job) => {
  const { snap } = job;
  const entities = new FileSink(join(job.dir, 'entities.csv'));
  const links = new FileSink(join(job.dir, 'links.csv'));
  try {
    await entities.write(BOM + ENTITY_COLUMNS.join(',') + '\r\n');
    for (const e of snap.entities()) {
      const ev = e.evidence === null ? null : parseJson<Evidence | null>(e.evidence, null);
      const props = e.properties === '{}' ? '' : e.properties;
      const p = entities.write(
        line([e.id, e.type, e.value, e.label ?? '', iso(e.first_seen), iso(e.last_seen), e.source_tool, ev?.sha256, ev?.finalUrl, ev?.httpStatus, ev?.observedAt, e.source_run_id, props]),
      );
      if (p) await p;
      job.progress.tick();
    }
    await links.write(BOM + LINK_COLUMNS.join(',') + '\r\n');
    for (const l of snap.linkEnds()) {
      const props = l.properties === '{}' ? '' : l.properties;
      const p = links.write(line([l.source_id, l.target_id, l.type, l.source_type, l.source_value, l.target_type, l.target_value, l.id, l.source_run_id, iso(l.created_at), props]));
      if (p) await p;
      job.progress.tick();
    }
    return [
      { name: 'entities.csv', bytes: await entities.close(), contentType: EXPORT_CONTENT_TYPES.csv! },
      { name: 'links.csv', bytes: await links.close(), contentType: EXPORT_CONTENT_TYPES.csv! },
    ];
  } catch (e) {
    entities.destroy();
    links.destroy();
    throw e;
  }
};
