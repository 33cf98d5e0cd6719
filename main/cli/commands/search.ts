import type { Command } from 'commander';
import { FILTER_LISTS, type FilterList } from '../../../preload/contract/filter-fields.ts';
import type { SnippetPart } from '../../../preload/contract/search.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError, parseIntArg } from '../errors.ts';
import { filterFromFlags } from '../filter-options.ts';

function listArg(v: string | undefined): FilterList | undefined {
  if (v === undefined) return undefined;
  if (!(FILTER_LISTS as readonly string[]).includes(v)) throw new UsageError(`--list must be one of ${FILTER_LISTS.join(', ')}, got "${v}"`);
  return v as FilterList;
}

/** Matches between [ and ] for a terminal. */
const snippetText = (parts: SnippetPart[]) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('').replace(/\s+/g, ' ');

export function registerSearch(program: Command): void {
  program
    .command('search <text>')
    .description('full-text search over entity values, labels, properties and evidence excerpts')
    .option('--investigation <id>', 'only this investigation')
    .option('--limit <n>', 'most hits', parseIntArg('--limit', 1, 100), 20)
    .action(async (text: string, o: { investigation?: string; limit: number }, cmd: Command) => {
      if (!text.trim()) throw new UsageError('search text is empty');
      const res = await withCore(cmd, (core) => core.call('search.query', { text, investigationId: o.investigation, limit: o.limit }));
      emit(globals(cmd), res, () =>
        table(
          res.hits.map((h) => ({ id: h.entity.id, type: h.entity.type, value: h.entity.value, investigation: h.investigationName, match: h.match, snippet: snippetText(h.snippet) })),
          ['id', 'type', 'value', 'investigation', 'match', 'snippet'],
        ) + (res.more ? `\n(more than ${o.limit}; raise --limit or narrow the text)` : ''),
      );
    });

  const filter = program.command('filter').description('saved filters of the list commands');

  filter
    .command('save <name>')
    .description('save a filter for a list')
    .requiredOption('--list <list>', `the list it filters (${FILTER_LISTS.join('|')})`)
    .option('--filter <json>', 'filter JSON')
    .option('--filter-file <file>', 'read the filter JSON from a file')
    .option('--replace', 'overwrite a saved filter of the same name')
    .action(async (name: string, o: { list: string; filter?: string; filterFile?: string; replace?: boolean }, cmd: Command) => {
      const list = listArg(o.list)!;
      const f = filterFromFlags(list, o);
      if (!f) throw new UsageError('give the filter with --filter JSON or --filter-file F');
      const saved = await withCore(cmd, (core) => core.call('filters.saved.save', { list, name, filter: f, replace: o.replace ?? false }));
      emit(globals(cmd), saved, () => `${saved.id}\t${saved.list}\t${saved.name}`);
    });

  filter
    .command('list')
    .description('list saved filters')
    .option('--list <list>', 'only this list')
    .action(async (o: { list?: string }, cmd: Command) => {
      const list = listArg(o.list);
      const rows = await withCore(cmd, (core) => core.call('filters.saved.list', { list }));
      emit(globals(cmd), rows, () => table(rows.map((r) => ({ ...r, filter: JSON.stringify(r.filter) })), ['id', 'list', 'name', 'updatedAt', 'filter']));
    });

  filter
    .command('delete <name>')
    .description('delete a saved filter by name (or id)')
    .option('--list <list>', 'the list, when the name is saved for more than one')
    .action(async (name: string, o: { list?: string }, cmd: Command) => {
      const list = listArg(o.list);
      const res = await withCore(cmd, async (core) => {
        const all = await core.call('filters.saved.list', { list });
        const hits = all.filter((f) => f.name === name || f.id === name);
        if (hits.length === 0) throw new UsageError(`no saved filter "${name}"${list ? ` for ${list}` : ''}`);
        if (hits.length > 1) throw new UsageError(`"${name}" is saved for ${hits.map((h) => h.list).join(' and ')}; say which with --list`);
        return core.call('filters.saved.delete', { id: hits[0]!.id });
      });
      emit(globals(cmd), res, () => `deleted ${res.id}`);
    });
}
