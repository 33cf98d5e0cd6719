import type { Batch, BatchOptions, Operation, OperationAttempt } from '../../../preload/contract/batches.ts';
import type { EntityType } from '../../../preload/contract/entities.ts';
import { iso } from '../util/time.ts';
import { parseJson } from '../util/json.ts';
import type { BatchesTable, OperationAttemptsTable, OperationsTable } from './tables.ts';

export type BatchRow = BatchesTable & { running?: number | null };

export function toBatch(r: BatchRow): Batch {
  const done = r.completed + r.failed + r.cancelled;
  const running = Math.min(Number(r.running ?? 0), r.total - done);
  return {
    id: r.id,
    investigationId: r.investigation_id,
    name: r.name,
    tool: r.tool,
    templateId: r.template_id,
    templateName: r.template_name,
    status: r.status,
    options: parseJson<BatchOptions>(r.options, {} as BatchOptions),
    counts: {
      total: r.total,
      pending: Math.max(0, r.total - done - running),
      running,
      completed: r.completed,
      failed: r.failed,
      cancelled: r.cancelled,
    },
    error: r.error,
    createdAt: iso(r.created_at),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    updatedAt: iso(r.updated_at),
  };
}

export function toOperation(r: OperationsTable): Operation {
  return {
    id: r.id,
    batchId: r.batch_id,
    seq: r.seq,
    tool: r.tool,
    inputType: r.input_type as EntityType,
    inputValue: r.input_value,
    inputEntityId: r.input_entity_id,
    params: parseJson<Record<string, unknown>>(r.params, {}),
    depth: r.depth,
    parentId: r.parent_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' && r.next_attempt_at > 0 ? iso(r.next_attempt_at) : null,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    output: parseJson<Operation['output']>(r.output, null),
    error: r.error,
    errorKind: (r.error_kind as Operation['errorKind']) ?? null,
  };
}

export function toAttempt(r: Omit<OperationAttemptsTable, 'id'>): OperationAttempt {
  return {
    attempt: r.attempt,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    durationMs: r.duration_ms,
    outcome: r.outcome,
    error: r.error,
    errorKind: (r.error_kind as OperationAttempt['errorKind']) ?? null,
  };
}

export function summaryOf(b: Pick<BatchesTable, 'id' | 'status' | 'total' | 'completed' | 'failed' | 'cancelled'>) {
  return { id: b.id, status: b.status, total: b.total, completed: b.completed, failed: b.failed, cancelled: b.cancelled };
}

/**
 * Operation ids derive from the batch and the sequence number: cheap to make
 * by the million, unique, and increasing (fixed-width seq), so inserting a
 * batch appends to the primary-key index instead of scattering through it.
 */
export function operationId(batchId: string, seq: number): string {
  return `op_${batchId.slice(batchId.indexOf('_') + 1)}_${seq.toString(36).padStart(7, '0')}`;
}

/** The batch and sequence number an operation id names (`operationId` backwards); null for any other id. */
export function parseOperationId(id: string): { batchId: string; seq: number } | null {
  const m = /^op_([0-9a-z]+)_([0-9a-z]+)$/.exec(id);
  return m ? { batchId: `bat_${m[1]}`, seq: parseInt(m[2]!, 36) } : null;
}
