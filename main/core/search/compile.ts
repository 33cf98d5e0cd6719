import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { groupChildren, isGroup, type FilterCondition, type FilterGroup } from '../../../preload/contract/filters.ts';
import { dateBounds, dayBounds, filterField, type FilterList } from '../../../preload/contract/filter-fields.ts';
import { escapeLike } from '../util/sql.ts';
import { FILTER_COLUMNS } from './columns.ts';
import { checkFilter } from './check-filter.ts';

const like = (col: RawBuilder<unknown>, pattern: string) => sql<SqlBool>`${col} like ${pattern} escape '\\'`;

function condition(list: FilterList, c: FilterCondition): RawBuilder<SqlBool> {
  const field = filterField(list, c.field)!;
  const col = (FILTER_COLUMNS[list] as Record<string, RawBuilder<unknown>>)[field.name]!;
  const v = c.value;
  switch (c.op) {
    // Text: SQLite LIKE, so ASCII letters match either case; wildcards in the value are literal.
    case 'equals':
      return like(col, escapeLike(v as string));
    case 'contains':
      return like(col, `%${escapeLike(v as string)}%`);
    case 'starts_with':
      return like(col, `${escapeLike(v as string)}%`);
    case 'ends_with':
      return like(col, `%${escapeLike(v as string)}`);
    case 'eq':
      return sql<SqlBool>`${col} = ${v as number}`;
    case 'gt':
      return sql<SqlBool>`${col} > ${v as number}`;
    case 'lt':
      return sql<SqlBool>`${col} < ${v as number}`;
    case 'gte':
      return sql<SqlBool>`${col} >= ${v as number}`;
    case 'lte':
      return sql<SqlBool>`${col} <= ${v as number}`;
    // Dates are stored as epoch ms; a date-only value is its whole UTC day.
    case 'on': {
      const d = dayBounds(v as string | number)!;
      return sql<SqlBool>`${col} between ${d.from} and ${d.to}`;
    }
    case 'after':
      return sql<SqlBool>`${col} > ${dateBounds(v as string | number)!.to}`;
    case 'before':
      return sql<SqlBool>`${col} < ${dateBounds(v as string | number)!.from}`;
    case 'between': {
      const [a, b] = (v as (string | number)[]).map((x) => dateBounds(x)!);
      return sql<SqlBool>`${col} between ${a!.from} and ${b!.to}`;
    }
    case 'is':
      return sql<SqlBool>`${col} = ${v as string}`;
    case 'is_any_of':
      return sql<SqlBool>`${col} in (${sql.join(v as string[])})`;
  }
}

function group(list: FilterList, g: FilterGroup): RawBuilder<SqlBool> {
  const parts = groupChildren(g).map((c) => (isGroup(c) ? group(list, c) : condition(list, c)));
  return sql<SqlBool>`(${sql.join(parts, 'and' in g && g.and ? sql` and ` : sql` or `)})`;
}

/**
 * A filter as one parameterised SQL boolean for `.where(...)`: identifiers only from the
 * list's whitelist (FILTER_COLUMNS), every value bound.
 */
export function compileFilter(list: FilterList, input: unknown): RawBuilder<SqlBool> {
  return group(list, checkFilter(list, input));
}
