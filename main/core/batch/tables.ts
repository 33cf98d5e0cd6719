import type { Generated } from 'kysely';
import type { BatchStatus, OperationStatus } from '../../../preload/contract/batches.ts';

/** Tables of the batch executor and templates (migration 003_batches). */
export interface BatchesTable {
  id: string;
  investigation_id: string;
  name: string;
  tool: string | null;
  template_id: string | null;
  template_name: string | null;
  plan: string | null; // JSON BatchPlan
  status: BatchStatus;
  options: string; // JSON BatchOptions
  priority: number;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  /** The importing process while the batch is staged (migration 027); null once it is visible. */
  staged_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface OperationsTable {
  id: string;
  batch_id: string;
  seq: number;
  tool: string;
  input_type: string;
  input_value: string;
  input_entity_id: string | null;
  params: string; // JSON
  depth: number;
  parent_id: string | null;
  dedupe_key: string | null;
  status: OperationStatus;
  attempts: number;
  next_attempt_at: number;
  started_at: number | null;
  finished_at: number | null;
  duration_ms: number | null;
  output: string | null; // JSON
  error: string | null;
  error_kind: string | null;
}

export interface OperationAttemptsTable {
  id: Generated<number>;
  operation_id: string;
  attempt: number;
  started_at: number;
  finished_at: number;
  duration_ms: number;
  outcome: 'completed' | 'failed' | 'refused' | 'aborted';
  error: string | null;
  error_kind: string | null;
}

export interface BatchTables {
  batches: BatchesTable;
  operations: OperationsTable;
  operation_attempts: OperationAttemptsTable;
}
