import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ENTITY_TYPES, type EntityType } from '../../../preload/contract/entities.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit } from '../output.ts';
import { UsageError, collect } from '../errors.ts';

function sub(program: Command, name: string): Command {
  const c = program.commands.find((x) => x.name() === name);
  if (!c) throw new Error(`command ${name} must be registered before the imports`);
  return c;
}

/** `investigation import <file>` and `entity import <file.csv>` (SPEC §3.8, §4); the parents are registered by investigation.ts. */
export function registerImports(program: Command): void {
  sub(program, 'investigation')
    .command('import <file>')
    .description('import an investigation exported as JSON (a new investigation with new ids)')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('reports.importInvestigation', { source: { path: resolve(file) } }));
      emit(globals(cmd), r, () => `${r.investigationId}\t${r.name}\t${r.entities} entities, ${r.links} links, ${r.runs} tool runs`);
    });

  sub(program, 'entity')
    .command('import <file>')
    .description('import entities from a CSV file: one entity per row, from the value column, with property columns')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--type <type>', `entity type (${ENTITY_TYPES.join('|')})`)
    .requiredOption('--value-column <col>', 'header name or 1-based number of the column holding the value')
    .option('--label-column <col>', 'column holding the label')
    .option('--property-column <col>', 'column to keep as a property (repeatable)', collect)
    .action(async (file: string, o: { investigation: string; type: string; valueColumn: string; labelColumn?: string; propertyColumn?: string[] }, cmd: Command) => {
      if (!(ENTITY_TYPES as readonly string[]).includes(o.type)) throw new UsageError(`--type must be one of ${ENTITY_TYPES.join(', ')}`);
      const r = await withCore(cmd, (core) =>
        core.call('reports.importEntities', {
          investigationId: o.investigation,
          source: { path: resolve(file) },
          type: o.type as EntityType,
          valueColumn: o.valueColumn,
          labelColumn: o.labelColumn,
          propertyColumns: o.propertyColumn ?? [],
        }),
      );
      emit(globals(cmd), r, () => `${r.rows} rows: ${r.created} new ${r.type} entities, ${r.merged} merged into existing ones`);
    });
}
