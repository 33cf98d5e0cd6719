import type { Generated } from 'kysely';

/** Tables of the foundation. Each domain declares its own tables beside its code. */
export interface InvestigationsTable {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'archived';
  tags: string; // JSON array
  created_at: number;
  updated_at: number;
}

export interface EntitiesTable {
  id: string;
  investigation_id: string;
  type: string;
  value: string;
  normalized: string;
  label: string | null;
  /** The investigator's notes (024); tools never write them. */
  notes: string;
  properties: string; // JSON object
  source_run_id: string | null;
  evidence: string | null; // JSON
  first_seen: number;
  last_seen: number;
}

export interface LinksTable {
  id: string;
  investigation_id: string;
  source_id: string;
  target_id: string;
  type: string;
  properties: string;
  source_run_id: string | null;
  created_at: number;
}

/** Transactional outbox: written in the same transaction as the change. */
export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  payload: string; // JSON of the event's data
  investigation_id: string | null;
  created_at: number;
  /** Set once the webhook dispatcher has fanned it out to deliveries. */
  dispatched_at: number | null;
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
  updated_at: number;
}

export interface FoundationTables {
  investigations: InvestigationsTable;
  entities: EntitiesTable;
  links: LinksTable;
  outbox: OutboxTable;
  settings: SettingsTable;
}
