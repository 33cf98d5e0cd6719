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
}

export interface TemplateTables {
  templates: TemplatesTable;
}
