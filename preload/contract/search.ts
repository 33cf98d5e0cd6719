import { z } from 'zod';
import { method } from './define.ts';
import { Id } from './common.ts';
import type { Entity } from './entities.ts';
import { Filter } from './filters.ts';
import { FILTER_LISTS, type FilterList } from './filter-fields.ts';

export const SearchQuery = z.object({
  /** Free text; searched as text term by term (never as FTS query syntax). */
  text: z.string().trim().min(1, 'search text is required').max(200),
  investigationId: Id.optional(),
  limit: z.number().int().min(1).max(100).default(20),
});

/** A piece of a snippet; `hit` pieces are what matched. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  entity: Entity;
  investigationName: string;
  /** Where the text was found, with the matches marked. */
  snippet: SnippetPart[];
  /** `word`: whole words (bm25-ranked first); `substring`: inside words (trigrams, or LIKE under 3 characters). */
  match: 'word' | 'substring';
  /**
   * bm25 of the hit's index (lower is better), ranked among the newest 5,000 matches of that index
   * (exact below that). Null when unranked: LIKE matches (terms under 3 characters, looked for in
   * the newest 5,000 entities), and substrings in more than 5,000 entities (newest first).
   */
  score: number | null;
}

export interface SearchResult {
  hits: SearchHit[];
  /** True when more hits exist than `limit`. */
  more: boolean;
}

export interface SavedFilter {
  id: string;
  list: FilterList;
  name: string;
  filter: Filter;
  /** Schema version of the filter language the filter is written in. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

const SavedName = z.string().trim().min(1, 'name is required').max(100);

export const SaveFilter = z.object({
  list: z.enum(FILTER_LISTS),
  name: SavedName,
  filter: Filter,
  /** Replace a saved filter of the same list and name instead of failing with `conflict`. */
  replace: z.boolean().default(false),
});

export const searchMethods = {
  'search.query': method(SearchQuery).returns<SearchResult>(),
  'filters.saved.list': method(z.object({ list: z.enum(FILTER_LISTS).optional() }).default({})).returns<SavedFilter[]>(),
  'filters.saved.save': method(SaveFilter).returns<SavedFilter>(),
  'filters.saved.rename': method(z.object({ id: Id, name: SavedName })).returns<SavedFilter>(),
  'filters.saved.delete': method(z.object({ id: Id })).returns<{ id: string; deleted: true }>(),
};
