/** Tables of the tools area (migration 002_tools). */
export type ToolRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface ToolRunsTable {
  id: string;
  investigation_id: string;
  tool: string;
  input_type: string;
  input_value: string;
  input_entity_id: string | null;
  params: string; // JSON
  status: ToolRunStatus;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  error: string | null;
  error_kind: 'transient' | 'permanent' | 'aborted' | null;
  summary: string | null;
  output: string | null; // JSON
  /** Entities the run produced (new or already known). */
  entity_count: number;
  /** Of those, how many were new to the investigation. */
  created_count: number;
  /** JSON array of the ids of the entities the run produced. */
  entity_ids: string;
  /** How the run reached the network (migration 014): "direct" or the proxy's label. */
  egress: string;
  /** The process running it (`leaseOwnerId()`, migration 021); null on rows from before. */
  owner: string | null;
}

/** Sealed secrets; value_sealed is only ever produced and read by ctx.secrets. */
export interface CredentialsTable {
  name: string;
  value_sealed: string;
  box_kind: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface ToolTables {
  tool_runs: ToolRunsTable;
  credentials: CredentialsTable;
}
