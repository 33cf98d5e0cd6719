/** The sync server's schema. Times are INTEGER epoch ms, booleans 0/1, JSON as text: valid on SQLite and PostgreSQL. */
export interface TeamsTable {
  id: string;
  name: string;
  /** The team's change sequence: bumped in the transaction of each change, so a row lock orders commits. */
  seq: number;
  created_at: number;
}

export interface MembersTable {
  id: string;
  team_id: string;
  name: string;
  role: 'admin' | 'member';
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface AuditTable {
  team_id: string;
  seq: number;
  member_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  detail: string;
  at: number;
}

export interface SharedTemplatesTable {
  team_id: string;
  id: string;
  name: string;
  version: number;
  deleted: number;
  /** JSON text; '{}' for a tombstone. */
  definition: string;
  seq: number;
  created_by: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ChannelsTable {
  id: string;
  team_id: string;
  name: string;
  /** SHA-256 (hex) of the channel URL's token. */
  token_hash: string;
  created_by: string | null;
  created_at: number;
}

/** One request a channel took, byte-exact; `seq` is the team's change sequence (the stream's event id). */
export interface ChannelRequestsTable {
  team_id: string;
  seq: number;
  id: string;
  channel_id: string;
  method: string;
  path: string;
  query: string;
  /** JSON [[name, value], ...] as received. */
  headers: string;
  body: Buffer;
  size: number;
  source_ip: string | null;
  received_at: number;
}

/** rate-limiter-flexible's PostgreSQL store (its own layout), created here so instances never race to create it. */
export interface RateLimitsTable {
  key: string;
  points: number;
  expire: number | null;
}

export interface SyncDatabase {
  teams: TeamsTable;
  members: MembersTable;
  audit: AuditTable;
  shared_templates: SharedTemplatesTable;
  rate_limits: RateLimitsTable;
  channels: ChannelsTable;
  channel_requests: ChannelRequestsTable;
}
