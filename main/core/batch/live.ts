import type { BatchOptions, BatchStatus, BatchSummary } from '../../../preload/contract/batches.ts';
import type { FollowUpRule, TemplateStep } from '../../../preload/contract/templates.ts';
import type { ToolErrorCode } from '../../../preload/contract/analytics.ts';
import type { ToolContext, ToolResult } from '../tools/types.ts';
import type { BatchEgress } from '../egress/resolve.ts';

/** What a batch runs beyond its own operations: the template's steps (for the record) and follow-up rules. */
export interface BatchPlan {
  steps?: TemplateStep[];
  followUps: FollowUpRule[];
}

/** An operation claimed from the database into memory (pending there until its start is committed). */
export interface ClaimedOp {
  id: string;
  seq: number;
  tool: string;
  inputType: string;
  inputValue: string;
  inputEntityId: string | null;
  params: string;
  depth: number;
  attempts: number;
  nextAttemptAt: number;
}

export interface ProgressState {
  lastEmit: number;
  timer: NodeJS.Timeout | null;
  samples: { t: number; done: number }[];
}

/** A batch this process runs (holds the lease of). Only a page of its operations is ever in memory. */
export interface LiveBatch {
  id: string;
  investigationId: string;
  name: string;
  status: Extract<BatchStatus, 'running' | 'paused'>;
  options: BatchOptions;
  plan: BatchPlan;
  priority: number;
  createdAt: number;
  /** Highest seq claimed by the page scan. */
  cursor: number;
  exhausted: boolean;
  buffer: ClaimedOp[];
  bufIdx: number;
  /** Waiting for a retry (or an open circuit), sorted by nextAttemptAt. */
  delayed: ClaimedOp[];
  /** Ids in the buffer, in flight, delayed or awaiting their commit: never claimed twice. */
  claimed: Set<string>;
  inflight: Set<string>;
  /** Aborts every run of the batch (cancel, stop on error, shutdown); no control aborts a single run. */
  abort: AbortController;
  /** Runs that finished and wait for their commit. */
  awaiting: number;
  toolCtx: Map<string, ToolContext>;
  nextSeq: number;
  /** Last committed counters. */
  counts: { total: number; completed: number; failed: number; cancelled: number };
  /** Set when the batch reached a final state or the executor lets go of it: nothing more is launched. */
  stopped: boolean;
  progress: ProgressState;
  waiters: ((s: BatchSummary) => void)[];
  /** Parsed params by their JSON text: a batch mostly repeats the same few. */
  paramsCache: Map<string, unknown>;
  /** The egress of each run (step param, batch option, settings), made on the first run. */
  egress?: BatchEgress;
}

export type AbortReason = 'cancelled' | 'shutdown' | 'stopped';

export type Outcome =
  | { kind: 'completed'; result: ToolResult }
  | { kind: 'failed'; error: string; errorKind: 'transient' | 'permanent'; code?: ToolErrorCode }
  | { kind: 'retry'; error: string; nextAttemptAt: number; code?: ToolErrorCode }
  | { kind: 'refused'; error: string; nextAttemptAt: number }
  | { kind: 'aborted'; reason: AbortReason };

export interface StartChange {
  batch: LiveBatch;
  op: ClaimedOp;
  attempt: number;
  startedAt: number;
}

export interface FinishChange extends StartChange {
  finishedAt: number;
  outcome: Outcome;
}

export function insertDelayed(list: ClaimedOp[], op: ClaimedOp): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.nextAttemptAt <= op.nextAttemptAt) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, op);
}
