/** Who found each entity and link (migration 024): one row per finder, see entities/finders.ts. */
export interface EntityFindersTable {
  finder: string;
  entity_id: string;
}

export interface LinkFindersTable {
  finder: string;
  link_id: string;
}

export interface EntityFinderTables {
  entity_finders: EntityFindersTable;
  link_finders: LinkFindersTable;
}
