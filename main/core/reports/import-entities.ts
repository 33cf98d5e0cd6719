import type { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { EntityImportResult, ImportEntitiesCsv } from '../../../preload/contract/reports.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { csvHeader, formatOf, readFileRecords, resolveColumn } from '../batch/file-input.ts';
import { upsertEntity } from '../entities/store.ts';
import { FINDER_IMPORT } from '../entities/finders.ts';
import { resolveSource } from './sources.ts';
import { Progress } from './progress.ts';

// Keys of the picked columns that cannot clash with a header name used as a property.
const VALUE = '\u0000value';
const LABEL = '\u0000label';

/**
 * Entities from a CSV file with a column mapping: which column holds the
 * value, which the label, which become properties (named after their
 * headers). All or nothing: a bad row anywhere creates nothing. Every mapped
 * column is checked against the header, and every row read, before the one
 * transaction that writes them starts.
 */
export async function importEntities(ctx: CoreContext, input: z.output<typeof ImportEntitiesCsv>): Promise<EntityImportResult> {
  const inv = await ctx.db.selectFrom('investigations').select('id').where('id', '=', input.investigationId).executeTakeFirst();
  if (!inv) throw new DossierError('not_found', `investigation ${input.investigationId} not found`);
  const src = resolveSource(ctx.dataDir, input.source);
  if (formatOf(src.path) !== 'csv') throw new DossierError('invalid_input', `${src.label}: entity import takes a .csv or .tsv file`);
  const header = await csvHeader(src.path, src.label);
  if (header.length === 0) throw new DossierError('invalid_input', `${src.label}: no header row`);
  const pick = new Map<string, number>([[VALUE, resolveColumn(header, input.valueColumn, src.label)]]);
  if (input.labelColumn) pick.set(LABEL, resolveColumn(header, input.labelColumn, src.label));
  for (const c of input.propertyColumns) {
    const i = resolveColumn(header, c, src.label);
    pick.set(header[i]!, i);
  }

  // The whole file is read (and every row checked) before the transaction opens: a transaction held across
  // file I/O would swallow other writers' commits into it (SPEC §1, one write path). What is held in memory is
  // just the picked columns.
  const records: Record<string, string>[] = [];
  for await (const chunk of readFileRecords(src.path, pick, { label: src.label })) for (const rec of chunk) if (rec[VALUE]) records.push(rec);
  if (records.length === 0) throw new DossierError('invalid_input', `${src.label}: no values in column "${input.valueColumn}"`);

  const progress = new Progress(
    ctx.bus,
    { jobId: `import:${input.investigationId}`, investigationId: input.investigationId, kind: 'import', format: 'csv' },
    records.length,
  );
  const counts = await ctx.db.transaction().execute(async (trx) => {
    let created = 0;
    let merged = 0;
    const now = ctx.clock.now();
    for (const rec of records) {
      const properties: Record<string, string> = {};
      for (const [k, v] of Object.entries(rec)) if (k !== VALUE && k !== LABEL) properties[k] = v;
      const r = await upsertEntity(
        trx,
        input.investigationId,
        { type: input.type, value: rec[VALUE]!, label: rec[LABEL] ?? null, properties, foundBy: FINDER_IMPORT },
        now,
      );
      if (r.created) created++;
      else merged++;
      progress.tick(1);
    }
    return { rows: records.length, created, merged };
  });
  progress.finish();
  src.done();
  ctx.bus.emit('entities.changed', { investigationId: input.investigationId, added: counts.created, removed: 0 });
  return { investigationId: input.investigationId, type: input.type, ...counts };
}
