/** Desktop side of the team link (SPEC §2 "Team link", §3.9). */
export interface SyncLinkTable {
  id: number;
  server: string;
  token_sealed: string;
  team_id: string;
  team_name: string;
  member_id: string;
  member_name: string;
  role: string;
  cursor: string;
  connected_at: number;
  last_sync_at: number | null;
  last_attempt_at: number | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  /** The last outbox seq published (or passed over) toward the team server. */
  events_cursor: number;
}

export interface SyncOutboxTable {
  seq?: number;
  template_id: string;
  kind: 'upsert' | 'delete';
  remote_version: number | null;
  name: string;
  created_at: number;
}

export interface SyncConflictsTable {
  id: string;
  template_id: string;
  template_name: string;
  copy_id: string | null;
  copy_name: string | null;
  server_version: number;
  server_deleted: number;
  at: number;
  dismissed: number;
}

export interface SyncTables {
  sync_link: SyncLinkTable;
  sync_outbox: SyncOutboxTable;
  sync_conflicts: SyncConflictsTable;
}
