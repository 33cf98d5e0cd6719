import { groupChildren, isGroup, type Filter, type FilterCondition, type FilterNode } from '../../../preload/contract/filters.ts';
import { dateBounds, dayBounds } from '../../../preload/contract/filter-fields.ts';

/** SQLite's LIKE folds only ASCII letters; so does this. */
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function test(c: FilterCondition, x: unknown): boolean {
  // SQL comparisons with NULL are never true, and the language has no negation.
  if (x === null || x === undefined) return false;
  const v = c.value;
  switch (c.op) {
    case 'equals':
      return fold(String(x)) === fold(v as string);
    case 'contains':
      return fold(String(x)).includes(fold(v as string));
    case 'starts_with':
      return fold(String(x)).startsWith(fold(v as string));
    case 'ends_with':
      return fold(String(x)).endsWith(fold(v as string));
    case 'eq':
      return Number(x) === v;
    case 'gt':
      return Number(x) > (v as number);
    case 'lt':
      return Number(x) < (v as number);
    case 'gte':
      return Number(x) >= (v as number);
    case 'lte':
      return Number(x) <= (v as number);
    case 'on': {
      const d = dayBounds(v as string | number)!;
      return Number(x) >= d.from && Number(x) <= d.to;
    }
    case 'after':
      return Number(x) > dateBounds(v as string | number)!.to;
    case 'before':
      return Number(x) < dateBounds(v as string | number)!.from;
    case 'between': {
      const [a, b] = (v as (string | number)[]).map((y) => dateBounds(y)!);
      return Number(x) >= a!.from && Number(x) <= b!.to;
    }
    case 'is':
      return x === v;
    case 'is_any_of':
      return (v as unknown[]).includes(x);
  }
}

function node(n: FilterNode, get: (field: string) => unknown): boolean {
  if (!isGroup(n)) return test(n, get(n.field));
  const kids = groupChildren(n);
  return 'and' in n && n.and ? kids.every((k) => node(k, get)) : kids.some((k) => node(k, get));
}

/**
 * The reference meaning of a (checked) filter, evaluated in memory on one row: the property
 * test holds the SQL compiler to it. `get` returns a field's value as stored (dates in epoch ms).
 */
export function evaluateFilter(filter: Filter, get: (field: string) => unknown): boolean {
  return node(filter, get);
}
