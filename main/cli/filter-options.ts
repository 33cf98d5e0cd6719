import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { DossierCore } from '../core/core.ts';
import type { Filter } from '../../preload/contract/filters.ts';
import type { FilterList } from '../../preload/contract/filter-fields.ts';
import { checkFilter } from '../core/search/check-filter.ts';
import { UsageError } from './errors.ts';

export interface FilterFlags {
  filter?: string;
  filterFile?: string;
  saved?: string;
}

/** `--filter JSON`, `--filter-file F`, `--saved NAME` on a list command (SPEC §3.6). */
export function withFilterOptions(cmd: Command): Command {
  return cmd
    .option('--filter <json>', 'filter JSON, e.g. \'{"and":[{"field":"value","op":"ends_with","value":".ru"}]}\'')
    .option('--filter-file <file>', 'read the filter JSON from a file')
    .option('--saved <name>', 'apply a saved filter of this list (ANDed with --filter)');
}

export function parseFilterJson(text: string, from: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${from} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The filter from --filter / --filter-file, checked against the list (invalid_input names the bad field). */
export function filterFromFlags(list: FilterList, o: FilterFlags): Filter | undefined {
  if (o.filter !== undefined && o.filterFile !== undefined) throw new UsageError('give --filter or --filter-file, not both');
  let raw: unknown;
  if (o.filter !== undefined) raw = parseFilterJson(o.filter, '--filter');
  else if (o.filterFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.filterFile, 'utf8');
    } catch (e) {
      throw new UsageError(`--filter-file: cannot read ${o.filterFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    raw = parseFilterJson(text, `--filter-file ${o.filterFile}`);
  } else return undefined;
  return checkFilter(list, raw);
}

/** The flags' filter ANDed with the saved one named by --saved (looked up in `core`). */
export async function resolveFilter(core: DossierCore, list: FilterList, o: FilterFlags): Promise<Filter | undefined> {
  const given = filterFromFlags(list, o);
  if (o.saved === undefined) return given;
  const saved = (await core.call('filters.saved.list', { list })).find((f) => f.name === o.saved);
  if (!saved) throw new UsageError(`no saved filter "${o.saved}" for ${list} (see: dossier filter list --list ${list})`);
  return given ? { and: [saved.filter, given] } : saved.filter;
}
