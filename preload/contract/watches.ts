import { z } from 'zod';
import { method } from './define.ts';
import { Id, type Paged } from './common.ts';
import { ENTITY_TYPES, Properties, type EntityType } from './entities.ts';
import type { BatchStatus } from './batches.ts';

/**
 * Watches (SPEC §3.10): a schedule that re-runs a template or a tool over
 * inputs in an investigation; each run is an ordinary batch, and each run's
 * finds are compared with the previous run's.
 */

/** `every 6h`, `every 30m`, `every 1d` (also `6h`): a fixed interval from the previous slot. */
export const EVERY_RE = /^(?:every\s+)?(\d{1,5})\s*(m|min|h|d)$/i;
export const EVERY_MIN_MS = 60_000;

export const WATCH_STATUSES = ['active', 'paused'] as const;
export type WatchStatus = (typeof WATCH_STATUSES)[number];
export const WATCH_RUN_STATUSES = ['starting', 'running', 'completed', 'failed', 'cancelled'] as const;
export type WatchRunStatus = (typeof WATCH_RUN_STATUSES)[number];
export const WATCH_RUN_TRIGGERS = ['schedule', 'missed', 'manual'] as const;
export type WatchRunTrigger = (typeof WATCH_RUN_TRIGGERS)[number];
export const CHANGE_KINDS = ['new', 'vanished', 'changed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** IANA time zone names only (what croner and Intl accept). */
export const TimeZone = z
  .string()
  .min(1)
  .max(100)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a known time zone (use an IANA name such as Europe/Berlin or UTC)' },
  );

/** Exactly one of `every` and `cron`. Cron syntax is checked by the core (croner). */
export const WatchSchedule = z
  .object({
    every: z.string().trim().regex(EVERY_RE, 'an interval like "6h", "every 30m" or "1d"').optional(),
    cron: z.string().trim().min(9).max(200).optional(),
    timezone: TimeZone.default('UTC'),
  })
  .refine((s) => Boolean(s.every) !== Boolean(s.cron), { message: 'give an interval (every) or a cron expression, one of them', path: ['every'] });

const WatchTarget = {
  investigationId: Id,
  name: z.string().trim().min(1).max(200).optional(),
  /** A template by id or name, run on `inputs` (its placeholder(s)). */
  template: z.string().min(1).max(200).optional(),
  /** Or a tool run on each of `inputs`. */
  tool: z.string().min(1).max(100).optional(),
  inputs: z.array(z.string().trim().min(1).max(2000)).min(1).max(1000),
  inputType: z.enum(ENTITY_TYPES).optional(),
  params: Properties.optional(),
};

export const CreateWatch = z
  .object({ ...WatchTarget, schedule: WatchSchedule, paused: z.boolean().default(false) })
  .refine((w) => Boolean(w.template) !== Boolean(w.tool), { message: 'give a tool or a template, one of them', path: ['tool'] });

export interface WatchCounts {
  new: number;
  vanished: number;
  changed: number;
}

export interface Watch {
  id: string;
  /** Null for the built-in daily site check, which belongs to no investigation. */
  investigationId: string | null;
  name: string;
  kind: 'template' | 'tool';
  template: string | null;
  tool: string | null;
  inputs: string[];
  inputType: EntityType | null;
  params: Record<string, unknown>;
  schedule: { every: string | null; cron: string | null; timezone: string; description: string };
  status: WatchStatus;
  /** Built in (the daily site check); cannot be edited into another target. */
  builtin: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  /** When a run last found changes, and how many. */
  lastChangeAt: string | null;
  lastChangeCounts: WatchCounts | null;
  runs: number;
  createdAt: string;
  updatedAt: string;
}

export interface WatchRun {
  id: string;
  watchId: string;
  seq: number;
  status: WatchRunStatus;
  trigger: WatchRunTrigger;
  /** The due time this run fills (scheduled and missed runs). */
  slotAt: string | null;
  batchId: string | null;
  batchStatus: BatchStatus | null;
  /** The run compared against (null for the first run: everything is its baseline). */
  previousRunId: string | null;
  counts: WatchCounts;
  baseline: boolean;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface WatchChange {
  change: ChangeKind;
  kind: 'entity' | 'link';
  /** Entity type, or link type. */
  type: string;
  /** Entity value, or "source → target" of a link. */
  value: string;
  entityId: string | null;
  /** What differed, for `changed`: `properties`, `evidence` or both. */
  fields: ('properties' | 'evidence')[];
  before: { propertiesHash: string | null; evidenceHash: string | null } | null;
  after: { propertiesHash: string | null; evidenceHash: string | null } | null;
  /** A verdict remembered for this find (site, username), when there is one. */
  verdict: 'confirmed' | 'false_positive' | null;
}

export interface WatchDiff {
  run: WatchRun;
  watch: { id: string; name: string; investigationId: string | null };
  counts: WatchCounts;
  items: WatchChange[];
  total: number;
  limit: number;
  offset: number;
}

const WatchId = z.object({ id: Id });

/** Name, inputs, params and schedule can change; the target (tool or template, investigation) stays. */
export const UpdateWatch = z.object({
  id: Id,
  name: z.string().trim().min(1).max(200).optional(),
  inputs: WatchTarget.inputs.optional(),
  params: Properties.optional(),
  schedule: WatchSchedule.optional(),
});

export const watchMethods = {
  'watches.list': method(
    z.object({
      investigationId: Id.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
  ).returns<Paged<Watch>>(),
  'watches.get': method(WatchId).returns<Watch>(),
  'watches.create': method(CreateWatch).returns<Watch>(),
  'watches.update': method(UpdateWatch).returns<Watch>(),
  'watches.delete': method(WatchId).returns<{ id: string; deleted: true; cancelledBatchId: string | null }>(),
  'watches.pause': method(WatchId).returns<Watch>(),
  'watches.resume': method(WatchId).returns<Watch>(),
  /** Start a run now (outside the schedule); `busy` while a run of this watch is still going. */
  'watches.runNow': method(WatchId, { slow: true }).returns<WatchRun>(),
  /**
   * Local: runs the watch now in the caller's process and answers with its diff once its batch ends (the CLI's
   * `watch run`). Cancelling the call stops the batch here (it resumes later): `interrupted` with its id.
   */
  'watches.runHere': method(WatchId, { local: true }).returns<{ interrupted: false; diff: WatchDiff } | { interrupted: true; batchId: string }>(),
  'watches.runs': method(
    z.object({ id: Id, limit: z.number().int().min(1).max(500).default(50), offset: z.number().int().min(0).default(0) }),
  ).returns<Paged<WatchRun>>(),
  'watches.diff': method(
    z.object({
      runId: Id,
      change: z.enum(CHANGE_KINDS).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    }),
  ).returns<WatchDiff>(),
  /** Entities new in the investigation's latest diffed watch runs (the graph highlights them). */
  'watches.newEntities': method(z.object({ investigationId: Id })).returns<{ entityIds: string[]; runIds: string[] }>(),
};
