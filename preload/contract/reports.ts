import { z } from 'zod';
import { method } from './define.ts';
import { Id } from './common.ts';
import { ENTITY_TYPES, type EntityType } from './entities.ts';
import { Filter } from './filters.ts';

/**
 * Reports and interop (SPEC §3.8): exports of an investigation in six formats,
 * the import of an exported investigation, and entity imports from CSV.
 *
 * An export is written by the core into `<dataDir>/exports/<id>/` and the face
 * hands the files on: the CLI copies them to `--out`, browser mode downloads
 * them from `GET /api/exports/<id>/<name>` (token in `authorization`), the
 * desktop copies them where its save dialog says.
 *
 * Files to import come as a local path (CLI, desktop) or, in browser mode, as
 * an upload streamed to `POST /api/batches/upload` first (see batches.ts).
 */

export const EXPORT_FORMATS = ['json', 'csv', 'graphml', 'gexf', 'html', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Version of the `dossier-investigation` JSON document written and read here. */
export const INVESTIGATION_DOCUMENT_VERSION = 1;

/**
 * What goes into an export. Every exporter reads the rows through one
 * selection (main/core/reports/rows.ts), so an option here applies to all
 * six formats at once.
 */
export const ExportOptions = z
  .object({
    /**
     * Entities marked false positive (verdicts, SPEC §3.10) and their links are
     * left out of every format unless this is true.
     */
    includeFalsePositives: z.boolean().default(false),
    /** HTML/PDF: entity rows listed per type before the table says "and N more" (the JSON/CSV/graph formats are always complete). */
    htmlRowsPerType: z.number().int().min(10).max(100_000).default(5_000),
  })
  .strict();
export type ExportOptionsInput = z.input<typeof ExportOptions>;

export const ExportInvestigation = z.object({
  investigationId: Id,
  format: z.enum(EXPORT_FORMATS),
  options: ExportOptions.prefault({}),
});

export interface ExportFile {
  name: string;
  bytes: number;
  contentType: string;
}

export interface ExportResult {
  id: string;
  investigationId: string;
  format: ExportFormat;
  files: ExportFile[];
  entities: number;
  links: number;
  runs: number;
  /** Entities marked false positive that the export left out (0 when `includeFalsePositives`). */
  falsePositivesLeftOut: number;
  createdAt: string;
}

/** A file to read: a path on this machine (CLI, desktop) or an upload (browser mode). */
export const FileSource = z.union([z.object({ path: z.string().min(1).max(4096) }), z.object({ uploadId: Id })]);

export const ImportInvestigation = z.object({ source: FileSource });

export interface ImportResult {
  investigationId: string;
  name: string;
  entities: number;
  links: number;
  runs: number;
}

const Column = z.string().trim().min(1).max(200);

export const ImportEntitiesCsv = z.object({
  investigationId: Id,
  source: FileSource,
  type: z.enum(ENTITY_TYPES),
  /** Header name (exact, then case-insensitive) or 1-based column number. */
  valueColumn: Column,
  labelColumn: Column.optional(),
  /** Each becomes a property named after its header. */
  propertyColumns: z.array(Column).max(100).default([]),
});

export interface EntityImportResult {
  investigationId: string;
  type: EntityType;
  rows: number;
  created: number;
  merged: number;
}

export const TimelineQuery = z
  .object({
    investigationId: Id,
    /** ISO times; default the whole span of the investigation. */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    buckets: z.number().int().min(1).max(500).default(60),
    types: z.array(z.enum(ENTITY_TYPES)).max(ENTITY_TYPES.length).optional(),
    /** The entity table's filter (SPEC §3.6, FILTER_FIELDS.entities): the timeline shows the entities it shows. */
    filter: Filter.optional(),
    /** Items (entities and runs) listed for the range, newest last. */
    itemLimit: z.number().int().min(0).max(1000).default(200),
  })
  .refine((v) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to), { message: 'from must be before to', path: ['to'] });

export interface TimelineBucket {
  start: string;
  entities: Partial<Record<EntityType, number>>;
  runs: { succeeded: number; failed: number; other: number };
}

export type TimelineItem =
  | { kind: 'entity'; at: string; id: string; type: EntityType; value: string; label: string | null }
  | { kind: 'run'; at: string; id: string; tool: string; status: string; input: string; entityCount: number };

export interface Timeline {
  /** The whole span of the investigation (first entity or run to the last), null when empty. */
  span: { from: string; to: string } | null;
  from: string | null;
  to: string | null;
  bucketMs: number;
  buckets: TimelineBucket[];
  items: TimelineItem[];
  totals: { entities: number; runs: number };
}

export const reportMethods = {
  'reports.export': method(ExportInvestigation, { slow: true }).returns<ExportResult>(),
  'reports.importInvestigation': method(ImportInvestigation, { slow: true }).returns<ImportResult>(),
  'reports.importEntities': method(ImportEntitiesCsv, { slow: true }).returns<EntityImportResult>(),
  'reports.timeline': method(TimelineQuery).returns<Timeline>(),
};
