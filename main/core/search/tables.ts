/** Tables of search (migration 008_search). The FTS5 tables are queried with raw SQL only. */
export interface SavedFiltersTable {
  id: string;
  list: string;
  name: string;
  filter: string; // JSON Filter
  /** FILTER_SCHEMA_VERSION the filter was written in. */
  version: number;
  created_at: number;
  updated_at: number;
}

export interface SearchTables {
  saved_filters: SavedFiltersTable;
}
