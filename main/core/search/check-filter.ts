import { DossierError } from '../../../preload/contract/errors.ts';
import { Filter } from '../../../preload/contract/filters.ts';
import { filterIssues, type FilterList } from '../../../preload/contract/filter-fields.ts';

// Apart from compile.ts so the CLI can check a --filter without loading Kysely (~0.3 s of its start).
/**
 * Throws `invalid_input` naming the first bad field or operator; returns the filter when every
 * condition fits the list's whitelist. Accepts unparsed input (CLI files, saved filters).
 */
export function checkFilter(list: FilterList, input: unknown): Filter {
  const parsed = Filter.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new DossierError('invalid_input', `filter${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`, {
      issues: parsed.error.issues.map(({ path, message }) => ({ path, message })),
    });
  }
  const issues = filterIssues(list, parsed.data);
  if (issues.length) {
    const first = issues[0]!;
    throw new DossierError('invalid_input', `filter.${first.path.join('.')}: ${first.message}`, { issues });
  }
  return parsed.data;
}
