import type { Command } from 'commander';
import { INVESTIGATION_STATUSES } from '../../../preload/contract/investigations.ts';
import { ENTITY_TYPES, LINK_TYPES, type EntityType, type LinkType } from '../../../preload/contract/entities.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError, collect, parseIntArg, parsePairs } from '../errors.ts';
import { resolveFilter, withFilterOptions, type FilterFlags } from '../filter-options.ts';

export function registerInvestigation(program: Command): void {
  const inv = program.command('investigation').description('create and list investigations');

  inv
    .command('create <name>')
    .description('create an investigation')
    .option('--description <text>', 'description')
    .option('--tag <tag>', 'tag (repeatable)', collect)
    .action(async (name: string, o: { description?: string; tag?: string[] }, cmd: Command) => {
      const created = await withCore(cmd, (core) => core.call('investigations.create', { name, description: o.description, tags: o.tag }));
      emit(globals(cmd), created, () => `${created.id}\t${created.name}`);
    });

  withFilterOptions(inv.command('list'))
    .description('list investigations')
    .option('--search <text>', 'search in name and description')
    .option('--status <status>', `filter by status (${INVESTIGATION_STATUSES.join('|')})`)
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 1000), 100)
    .option('--offset <n>', 'page start', parseIntArg('--offset', 0, Number.MAX_SAFE_INTEGER), 0)
    .action(async (o: { search?: string; status?: string; limit: number; offset: number } & FilterFlags, cmd: Command) => {
      if (o.status && !(INVESTIGATION_STATUSES as readonly string[]).includes(o.status)) {
        throw new UsageError(`--status must be one of ${INVESTIGATION_STATUSES.join(', ')}`);
      }
      const page = await withCore(cmd, async (core) =>
        core.call('investigations.list', {
          search: o.search,
          status: o.status as 'active' | undefined,
          filter: await resolveFilter(core, 'investigations', o),
          limit: o.limit,
          offset: o.offset,
        }),
      );
      emit(globals(cmd), page, () =>
        table(
          page.items.map((i) => ({ ...i, entities: i.entityCount })),
          ['id', 'name', 'status', 'entities', 'tags', 'updatedAt'],
        ),
      );
    });

  const entity = program.command('entity').description('entities of an investigation');
  withFilterOptions(entity.command('list'))
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--type <type>', `entity type (${ENTITY_TYPES.join('|')})`)
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 1000), 100)
    .option('--offset <n>', 'page start', parseIntArg('--offset', 0, Number.MAX_SAFE_INTEGER), 0)
    .action(async (o: { investigation: string; type?: string; limit: number; offset: number } & FilterFlags, cmd: Command) => {
      if (o.type && !(ENTITY_TYPES as readonly string[]).includes(o.type)) {
        throw new UsageError(`--type must be one of ${ENTITY_TYPES.join(', ')}`);
      }
      const page = await withCore(cmd, async (core) =>
        core.call('entities.list', {
          investigationId: o.investigation,
          type: o.type as 'email' | undefined,
          filter: await resolveFilter(core, 'entities', o),
          limit: o.limit,
          offset: o.offset,
        }),
      );
      emit(globals(cmd), page, () => table(page.items, ['id', 'type', 'value', 'label', 'firstSeen', 'lastSeen']));
    });

  entity
    .command('add <type> <value>')
    .description('add an entity by hand; email, url, ip, domain and phone values are checked by type (exit 2 with the reason)')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--label <text>', 'label shown beside the value')
    .action(async (type: string, value: string, o: { investigation: string; label?: string }, cmd: Command) => {
      if (!(ENTITY_TYPES as readonly string[]).includes(type)) throw new UsageError(`<type> must be one of ${ENTITY_TYPES.join(', ')}`);
      const res = await withCore(cmd, (core) =>
        core.call('entities.add', { investigationId: o.investigation, type: type as EntityType, value, label: o.label }),
      );
      emit(globals(cmd), res, () => `${res.entity.id}\t${res.entity.type}\t${res.entity.value}${res.created ? '' : '\t(merged with the existing entity)'}`);
    });

  entity
    .command('link <sourceId> <targetId>')
    .description('link two entities of one investigation by hand')
    .option('--type <type>', `link type (${LINK_TYPES.join('|')})`, 'related')
    .action(async (sourceId: string, targetId: string, o: { type: string }, cmd: Command) => {
      if (!(LINK_TYPES as readonly string[]).includes(o.type)) throw new UsageError(`--type must be one of ${LINK_TYPES.join(', ')}`);
      const res = await withCore(cmd, async (core) => {
        // The link belongs to the source's investigation; the core refuses a target from another one.
        const source = await core.call('entities.get', { id: sourceId });
        return core.call('links.add', { investigationId: source.investigationId, sourceId, targetId, type: o.type as LinkType });
      });
      emit(globals(cmd), res, () => `${res.link.id}\t${res.link.sourceId} -${res.link.type}-> ${res.link.targetId}${res.created ? '' : '\t(already linked)'}`);
    });

  entity
    .command('edit <id>')
    .description('edit an entity by hand: label, notes, properties (its type and value are what it is: delete and add instead)')
    .option('--label <text>', 'label shown beside the value')
    .option('--clear-label', 'remove the label')
    .option('--notes <text>', 'your notes (replace the stored ones; "" clears them)')
    .option('--prop <key=value>', 'set a property (repeatable); a value that is JSON (12, true, "x", [..]) is stored as that, else as text', collect)
    .option('--unset <key>', 'remove a property (repeatable)', collect)
    .action(async (id: string, o: { label?: string; clearLabel?: boolean; notes?: string; prop?: string[]; unset?: string[] }, cmd: Command) => {
      if (o.label !== undefined && o.clearLabel) throw new UsageError('give --label or --clear-label, not both');
      const set = parsePairs(o.prop, '--prop');
      const touchesProps = Object.keys(set).length > 0 || (o.unset?.length ?? 0) > 0;
      if (o.label === undefined && !o.clearLabel && o.notes === undefined && !touchesProps) {
        throw new UsageError('nothing to change: give --label, --clear-label, --notes, --prop or --unset');
      }
      const res = await withCore(cmd, async (core) => {
        let properties: Record<string, unknown> | undefined;
        if (touchesProps) {
          // The core replaces the whole object: start from what is stored, so the flags change only the keys they name.
          properties = { ...(await core.call('entities.get', { id })).properties };
          for (const [k, v] of Object.entries(set)) properties[k] = propValue(v);
          for (const k of o.unset ?? []) delete properties[k.trim()];
        }
        return core.call('entities.update', { id, label: o.clearLabel ? null : o.label, notes: o.notes, properties });
      });
      emit(globals(cmd), res, () => `${res.id}\t${res.type}\t${res.value}\t${res.label ?? ''}\n${Object.entries(res.properties).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}${res.notes ? `\nnotes: ${res.notes}` : ''}`);
    });

  entity
    .command('delete <ids...>')
    .description('delete entities and the links that touch them')
    .action(async (ids: string[], _o: unknown, cmd: Command) => {
      const out = await withCore(cmd, async (core) => {
        const deleted: string[] = [];
        for (const id of ids) deleted.push((await core.call('entities.delete', { id })).id);
        return { deleted };
      });
      emit(globals(cmd), out, () => `deleted ${out.deleted.length} entit${out.deleted.length === 1 ? 'y' : 'ies'}`);
    });
}

/** `--prop k=12` stores the number 12 and `--prop k=abc` the text "abc": JSON when it parses, text otherwise. */
function propValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
