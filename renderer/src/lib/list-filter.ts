import { useCallback, useSyncExternalStore } from 'react';
import type { Filter } from '../../../preload/contract/filters.ts';

/**
 * The applied filter of each list view, shared by every view of the same data: the entity table
 * and the timeline read and write the same `entities:<investigationId>` filter. Kept for the
 * session (sessionStorage), so a reload or a tab switch keeps what the investigator applied.
 */
const PREFIX = 'dossier.filter.';
const listeners = new Set<() => void>();
const cache = new Map<string, Filter | null>();

function read(key: string): Filter | null {
  if (cache.has(key)) return cache.get(key)!;
  let f: Filter | null = null;
  try {
    const raw = sessionStorage.getItem(PREFIX + key);
    f = raw ? (JSON.parse(raw) as Filter) : null;
  } catch {
    f = null;
  }
  cache.set(key, f);
  return f;
}

export function setListFilter(key: string, f: Filter | null): void {
  cache.set(key, f);
  try {
    if (f) sessionStorage.setItem(PREFIX + key, JSON.stringify(f));
    else sessionStorage.removeItem(PREFIX + key);
  } catch {
    // Storage full or disabled: the filter still applies for this page's life.
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

export function useListFilter(key: string): [Filter | null, (f: Filter | null) => void] {
  const f = useSyncExternalStore(subscribe, () => read(key));
  const set = useCallback((next: Filter | null) => setListFilter(key, next), [key]);
  return [f, set];
}

/** The entity filter of one investigation (entity table, timeline, anything else over its entities). */
export const entityFilterKey = (investigationId: string) => `entities:${investigationId}`;
export const useEntityFilter = (investigationId: string) => useListFilter(entityFilterKey(investigationId));
