import { z } from 'zod';
import { method } from './define.ts';
import { Id, type Paged } from './common.ts';
import { Filter } from './filters.ts';
import { ENTITY_TYPES, Properties, type EntityType } from './entities.ts';
import { Egress } from './egress.ts';

/**
 * Batches: many tool runs ("operations", "jobs" in webhook event names) in one
 * investigation, executed durably by the core's executor (SPEC §3.2).
 *
 * Lifecycle: pending → running ⇄ paused → completed | failed | cancelled.
 * - completed: every operation reached a final state (some may have failed;
 *   the counts say so).
 * - failed: stop_on_error hit a failure (the rest were cancelled), or no
 *   operation succeeded at all.
 * - cancelled: the user cancelled; in-flight runs were aborted.
 *
 * File inputs: the desktop passes a local path (`source.kind = 'file'`).
 * Browser mode first streams the file to `POST /api/batches/upload`
 * (raw body, `authorization: Bearer <token>`, optional `x-filename` header;
 * answer `{ result: UploadedFile }`, errors as `{ error }` like /api/call),
 * then passes `source.kind = 'upload'` with the returned uploadId.
 * `batches.previewFile` shows the columns and first rows of either.
 */

export const BATCH_STATUSES = ['pending', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const FINAL_BATCH_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'cancelled'];

export const OPERATION_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** Default backoff before retry n (SPEC §3.2): 1 s, 2 s, 4 s, 8 s, 16 s, each with ±20 % jitter. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000] as const;

export const RetryPolicy = z.object({
  /** Attempts in total, the first included (1 = never retry). */
  attempts: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(DEFAULT_RETRY_DELAYS_MS.length + 1),
  /** Delay before retry n; the last one repeats when attempts outnumber them. */
  delaysMs: z
    .array(z.number().int().min(0).max(3_600_000))
    .min(1)
    .max(20)
    .default([...DEFAULT_RETRY_DELAYS_MS]),
});
export type RetryPolicy = z.output<typeof RetryPolicy>;

const optionFields = {
  maxParallel: z.number().int().min(1).max(50),
  stopOnError: z.boolean(),
  retry: RetryPolicy,
  /** Higher runs first when batches compete for the executor. */
  priority: z.number().int().min(-100).max(100),
  /** How many generations of template follow-ups may run (0 = none). */
  followUpDepth: z.number().int().min(0).max(10),
  /** Egress of every run of the batch (SPEC §3.11), over the settings; a step's `egress` param still wins. */
  egress: Egress,
  /**
   * Its inputs came from someone else (a relay rule's webhook sender, SPEC §5): every run, follow-ups included, is
   * refused loopback/private/link-local destinations (checked on the resolved address at connect time) and local files.
   */
  untrusted: z.boolean(),
};

export const BatchOptions = z.object({
  maxParallel: optionFields.maxParallel.default(10),
  stopOnError: optionFields.stopOnError.default(false),
  retry: optionFields.retry.default({ attempts: DEFAULT_RETRY_DELAYS_MS.length + 1, delaysMs: [...DEFAULT_RETRY_DELAYS_MS] }),
  priority: optionFields.priority.default(0),
  followUpDepth: optionFields.followUpDepth.default(0),
  egress: optionFields.egress.optional(),
  untrusted: optionFields.untrusted.default(false),
});
/** Options as a caller gives them: any subset; the rest take their defaults (followUpDepth: the template's maxDepth). */
export const BatchOptionsPatch = z.object(optionFields).partial();
export type BatchOptions = z.output<typeof BatchOptions>;
export type BatchOptionsInput = z.input<typeof BatchOptionsPatch>;

/** The longest input value a batch takes (pasted, or a line or cell of a file). */
export const BATCH_VALUE_MAX = 4096;
/** The most values a pasted list may hold (bigger inputs come as a file, streamed). */
export const BATCH_LIST_MAX = 200_000;

/** Where the inputs come from. */
export const BatchSource = z.discriminatedUnion('kind', [
  /** A pasted list: one value per element (blank ones are skipped). */
  z.object({ kind: z.literal('list'), values: z.array(z.string().max(BATCH_VALUE_MAX)).min(1).max(BATCH_LIST_MAX) }),
  /** A TXT (one value per line) or CSV file on this machine. `column`: header name or 1-based index; default the first. */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096), column: z.string().min(1).max(200).optional() }),
  /** A file streamed to POST /api/batches/upload first (browser mode). */
  z.object({ kind: z.literal('upload'), uploadId: Id, column: z.string().min(1).max(200).optional() }),
  /** Entities of the investigation (e.g. the graph selection); each runs with its own type and value. */
  z.object({ kind: z.literal('entities'), entityIds: z.array(Id).min(1).max(100_000) }),
]);
export type BatchSource = z.output<typeof BatchSource>;

export const CreateBatch = z
  .object({
    investigationId: Id,
    name: z.string().trim().min(1).max(200).optional(),
    /** Run this tool on every input ... */
    tool: z.string().min(1).max(100).optional(),
    /** ... or this template (id or name): its steps on every input, plus its follow-up rules. */
    template: z.string().min(1).max(200).optional(),
    /** Tool parameters (tool batches only); validated against the tool's schema. */
    params: Properties.optional(),
    /** Entity type of list/file inputs; default: the first type the tool accepts. */
    inputType: z.enum(ENTITY_TYPES).optional(),
    /**
     * Template batches: the placeholder that list/file values fill; default the template's only one.
     * A CSV (without `column`) whose header names placeholders fills each one from its column.
     */
    placeholder: z.string().min(1).max(100).optional(),
    source: BatchSource,
    options: BatchOptionsPatch.optional(),
  })
  .refine((v) => Boolean(v.tool) !== Boolean(v.template), { message: 'give either tool or template, not both' });
export type CreateBatchInput = z.input<typeof CreateBatch>;

/** `batches.create`'s input: a batch, and whether this process takes its lease at once (the CLI's `batch run`, so no other executor starts it first). */
export const CreateBatchCall = z.intersection(CreateBatch, z.object({ runHere: z.boolean().optional() }));

export interface BatchCounts {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface Batch {
  id: string;
  investigationId: string;
  name: string;
  /** Set for tool batches. */
  tool: string | null;
  /** Set for template batches. */
  templateId: string | null;
  templateName: string | null;
  status: BatchStatus;
  options: BatchOptions;
  counts: BatchCounts;
  /** Why a failed batch failed. */
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface Operation {
  id: string;
  batchId: string;
  seq: number;
  tool: string;
  inputType: EntityType;
  inputValue: string;
  inputEntityId: string | null;
  params: Record<string, unknown>;
  /** 0 for the batch's own inputs; n for follow-ups of generation n. */
  depth: number;
  parentId: string | null;
  status: OperationStatus;
  attempts: number;
  nextAttemptAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** The tool's summary and structured output. */
  output: { summary: string; entities: number; links: number; data?: unknown } | null;
  error: string | null;
  errorKind: 'transient' | 'permanent' | 'cancelled' | null;
}

export interface OperationAttempt {
  attempt: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: 'completed' | 'failed' | 'refused' | 'aborted';
  error: string | null;
  errorKind: 'transient' | 'permanent' | 'cancelled' | null;
}

/** Per-host admission state of the executor (rate limit + circuit breaker). */
export interface HostState {
  host: string;
  circuit: 'closed' | 'open' | 'half_open';
  consecutiveFailures: number;
  /** When an open circuit lets a probe through. */
  probeAt: string | null;
  /** Not contacted before this (Retry-After). */
  blockedUntil: string | null;
  perSecond: number;
  burst: number;
  tokens: number;
}

export interface UploadedFile {
  uploadId: string;
  filename: string;
  bytes: number;
}

export interface FilePreview {
  format: 'csv' | 'txt';
  /** CSV header names (empty for TXT). */
  columns: string[];
  /** The first rows as parsed (header excluded). */
  rows: string[][];
}

export interface BatchSummary {
  id: string;
  status: BatchStatus;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
}

const BatchId = z.object({ id: Id });

/** Entities and links only one batch found (issue #18 item 2). */
export interface BatchOnlyFinds {
  entities: number;
  links: number;
}

export const batchMethods = {
  'batches.create': method(CreateBatchCall, { slow: true }).returns<Batch>(),
  'batches.list': method(
    z.object({
      investigationId: Id.optional(),
      status: z.enum(BATCH_STATUSES).optional(),
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
    }),
  ).returns<Paged<Batch>>(),
  'batches.get': method(BatchId).returns<Batch>(),
  'batches.operations': method(
    z.object({
      batchId: Id,
      status: z.enum(OPERATION_STATUSES).optional(),
      /** Substring of the input value. */
      search: z.string().max(200).optional(),
      /** SPEC §3.6 filter over FILTER_FIELDS.operations. */
      filter: Filter.optional(),
      limit: z.number().int().min(1).max(1000).default(50),
      offset: z.number().int().min(0).default(0),
    }),
  ).returns<Paged<Operation>>(),
  /** One operation (entities' sourceRunId points at an operation when a batch found them). */
  'batches.operation': method(BatchId).returns<Operation>(),
  'batches.attempts': method(z.object({ operationId: Id })).returns<OperationAttempt[]>(),
  'batches.pause': method(BatchId).returns<Batch>(),
  'batches.resume': method(BatchId).returns<Batch>(),
  /**
   * Local: runs the batch in the caller's process until it ends (the CLI's foreground run). Cancelling the
   * call (Ctrl-C) pauses the batch, puts runs in flight back to pending and lets go of it: `interrupted`.
   */
  'batches.runHere': method(BatchId, { local: true }).returns<{ summary: BatchSummary; interrupted: boolean }>(),
  'batches.cancel': method(BatchId).returns<Batch>(),
  /** Failed operations go back to pending (attempts reset); the batch runs again. */
  'batches.retryFailed': method(BatchId).returns<Batch & { retried: number }>(),
  /**
   * What deleting the batch with its finds would delete: the entities and links only this batch found (those
   * another run also found, or that were added, edited or linked by hand, stay). Shown before confirming.
   */
  'batches.onlyFinds': method(BatchId).returns<BatchOnlyFinds>(),
  /**
   * Refused with `busy` while the batch is running or paused with work in flight. `withFinds` also deletes
   * what only it found (`batches.onlyFinds`), in the same transaction; the counts say what went.
   */
  'batches.delete': method(BatchId.extend({ withFinds: z.boolean().default(false) })).returns<{ id: string; deleted: true } & BatchOnlyFinds>(),
  'batches.hostStates': method(z.object({}).default({})).returns<HostState[]>(),
  'batches.previewFile': method(z.union([z.object({ path: z.string().min(1).max(4096) }), z.object({ uploadId: Id })])).returns<FilePreview>(),
};
