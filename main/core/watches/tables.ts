import type { Generated } from 'kysely';
import type { WatchRunStatus, WatchRunTrigger, WatchStatus } from '../../../preload/contract/watches.ts';
import type { SiteCheckOutcome } from '../../../preload/contract/site-health.ts';
import type { VerdictKind } from '../../../preload/contract/verdicts.ts';

/** Tables of watches, site health and verdicts (migration 010_watches). */
export interface WatchesTable {
  id: string;
  investigation_id: string | null;
  name: string;
  kind: 'template' | 'tool';
  template: string | null;
  tool: string | null;
  inputs: string; // JSON string[]
  input_type: string | null;
  params: string; // JSON
  every_ms: number | null;
  cron: string | null;
  timezone: string;
  status: WatchStatus;
  builtin: string | null;
  next_due_at: number | null;
  last_run_at: number | null;
  last_change_at: number | null;
  last_change_counts: string | null; // JSON WatchCounts
  run_seq: number;
  created_at: number;
  updated_at: number;
}

export interface WatchRunsTable {
  id: string;
  watch_id: string;
  seq: number;
  status: WatchRunStatus;
  trigger: WatchRunTrigger;
  slot_at: number | null;
  batch_id: string | null;
  previous_run_id: string | null;
  new_count: number;
  vanished_count: number;
  changed_count: number;
  baseline: number;
  error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  started_at: number;
  finished_at: number | null;
}

export interface WatchFindsTable {
  run_id: string;
  key: string;
  kind: 'entity' | 'link';
  type: string;
  value: string;
  entity_id: string | null;
  props_hash: string | null;
  evidence_hash: string | null;
  op_key: string;
  site: string | null;
  username: string | null;
}

export interface WatchChangesTable {
  id: Generated<number>;
  run_id: string;
  change: 'new' | 'vanished' | 'changed';
  kind: 'entity' | 'link';
  type: string;
  value: string;
  entity_id: string | null;
  fields: string; // JSON
  before_props: string | null;
  before_evidence: string | null;
  after_props: string | null;
  after_evidence: string | null;
  site: string | null;
  username: string | null;
}

export interface SiteHealthTable {
  site: string;
  status: 'unchecked' | 'ok' | 'degraded';
  reason: string | null;
  since: number;
  last_checked_at: number;
  last_outcome: SiteCheckOutcome;
}

export interface SiteChecksTable {
  id: Generated<number>;
  site: string;
  outcome: SiteCheckOutcome;
  reason: string;
  claimed_status: string;
  free_status: string;
  checked_at: number;
}

export interface VerdictsTable {
  id: string;
  key: string;
  verdict: VerdictKind;
  site: string | null;
  username: string | null;
  entity_type: string | null;
  normalized: string | null;
  investigation_id: string;
  entity_id: string | null;
  note: string;
  created_at: number;
  updated_at: number;
}

export interface WatchTables {
  watches: WatchesTable;
  watch_runs: WatchRunsTable;
  watch_finds: WatchFindsTable;
  watch_changes: WatchChangesTable;
  site_health: SiteHealthTable;
  site_checks: SiteChecksTable;
  verdicts: VerdictsTable;
}
