export interface TemplatesTable {
  id: string;
  name: string;
  description: string;
  version: number;
  steps: string; // JSON TemplateStep[]
  follow_ups: string; // JSON FollowUpRule[]
  max_depth: number;
  usage_count: number;
  created_at: number;
  updated_at: number;
  /** Shared with the team server (1) or local (0); see main/core/sync. */
  shared?: number;
  /** The server version this copy was last in step with; null until first pushed. */
  remote_version?: number | null;
  /** The member who made the server's current version, and when (epoch ms); see migration 016. */
  remote_updated_by?: string | null;
  remote_updated_at?: number | null;
}

export interface TemplateTables {
  templates: TemplatesTable;
}
