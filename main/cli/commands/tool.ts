import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readStdinSecret } from '../secret-input.ts';
import { ENTITY_TYPES, type EntityType } from '../../../preload/contract/entities.ts';
import { SITE_FORMATS, type SiteFormat, type ToolRunDetail } from '../../../preload/contract/tools.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { withCore, withInterrupt } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError, collect, parsePairs } from '../errors.ts';

function printRun(run: ToolRunDetail): string {
  const head = [
    `${run.tool} on ${run.input.type} "${run.input.value}": ${run.status}${run.durationMs !== null ? ` in ${run.durationMs} ms` : ''}`,
    run.summary ? run.summary : null,
    run.error ? `error (${run.errorKind}): ${run.error}` : null,
    `run ${run.id}: ${run.entityCount} entities (${run.createdCount} new)`,
  ].filter(Boolean);
  const rows = run.entities.map((e) => ({ id: e.id, type: e.type, value: e.value, label: e.label ?? '', status: e.evidence?.httpStatus ?? '' }));
  return [...head, '', table(rows, ['id', 'type', 'value', 'label', 'status'])].join('\n');
}

export function registerTool(program: Command): void {
  const tool = program.command('tool').description('list and run tools');

  tool
    .command('list')
    .description('list the tools, the entity types they accept, their hosts and rate limits')
    .action(async (_o: unknown, cmd: Command) => {
      const tools = await withCore(cmd, (core) => core.call('tools.list', {}));
      emit(globals(cmd), tools, () =>
        table(
          tools.map((t) => ({
            name: t.name,
            accepts: t.accepts.length === ENTITY_TYPES.length ? 'any' : t.accepts.join(','),
            hosts: t.hosts.length > 3 ? `${t.hosts.slice(0, 3).join(',')} +${t.hosts.length - 3}` : t.hosts.join(',') || '(offline)',
            rate: `${t.rateLimit.perSecond}/s burst ${t.rateLimit.burst}`,
            title: t.title,
          })),
          ['name', 'accepts', 'hosts', 'rate', 'title'],
        ),
      );
    });

  tool
    .command('run')
    .description('run one tool once on one input and record what it finds in the investigation')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--tool <name>', 'tool name (see `dossier tool list`)')
    .requiredOption('--input <value>', 'the input value (a username, domain, URL, file path...)')
    .option('--type <type>', `input entity type (${ENTITY_TYPES.join('|')}); inferred when the tool takes one type or the value is clear`)
    .option('--entity <id>', 'the entity the input comes from (links attach to it)')
    .option('--param <key=value>', 'tool parameter (repeatable), e.g. sites=GitHub,GitLab', collect)
    .action(async (o: { investigation: string; tool: string; input: string; type?: string; entity?: string; param?: string[] }, cmd: Command) => {
      if (o.type && !(ENTITY_TYPES as readonly string[]).includes(o.type)) throw new UsageError(`--type must be one of ${ENTITY_TYPES.join(', ')}`);
      const params = parsePairs(o.param, '--param');
      const g = globals(cmd);
      // Ctrl-C cancels the run: the core records it cancelled and answers with it.
      const run = await withCore(cmd, (core) =>
        withInterrupt((signal) =>
          core.call('tools.run', { investigationId: o.investigation, tool: o.tool, input: { type: o.type as EntityType | undefined, value: o.input, entityId: o.entity }, params }, { signal }),
        ),
      );
      emit(g, run, () => printRun(run));
      // The run is printed either way; a failed or cancelled run still makes the command fail (exit 1).
      if (run.status === 'failed') throw new DossierError(run.errorKind === 'transient' ? 'transient' : 'permanent', `${run.tool} failed: ${run.error}`);
      if (run.status === 'cancelled') throw new DossierError('unavailable', `${run.tool} was cancelled`);
    });

  const site = program.command('site').description('the site manifest username.sites checks');

  site
    .command('import <file>')
    .description('import a site manifest (Dossier, Sherlock data.json or Maigret data.json) as the active one')
    .option('--format <format>', `file format (${SITE_FORMATS.join('|')}); detected when omitted`)
    .option('--merge', 'add to the active manifest instead of replacing it (same names are replaced)')
    .action(async (file: string, o: { format?: string; merge?: boolean }, cmd: Command) => {
      if (o.format && !(SITE_FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format must be one of ${SITE_FORMATS.join(', ')}`);
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message}`);
      }
      const report = await withCore(cmd, (core) =>
        core.call('sites.import', { content, format: o.format as SiteFormat | undefined, mode: o.merge ? 'merge' : 'replace' }),
      );
      emit(globals(cmd), report, () =>
        [
          `imported ${report.imported} of ${report.total} ${report.format} entries; the active manifest has ${report.sites} sites`,
          ...(report.unsupported.length ? [`${report.unsupported.length} not supported:`, ...report.unsupported.map((u) => `  ${u.name}: ${u.reason}`)] : []),
        ].join('\n'),
      );
    });

  site
    .command('list')
    .description('list the sites of the active manifest')
    .option('--search <text>', 'name or tag contains')
    .action(async (o: { search?: string }, cmd: Command) => {
      const list = await withCore(cmd, (core) => core.call('sites.list', { search: o.search, limit: 5000 }));
      emit(globals(cmd), list, () =>
        [
          `${list.total} sites (${list.enabled} enabled), ${list.source} manifest written ${list.written}`,
          table(
            list.items.map((s) => ({ ...s, kinds: s.kinds.join('+'), disabled: s.disabled ? 'yes' : '' })),
            ['name', 'kinds', 'tags', 'url', 'claimed', 'disabled'],
          ),
        ].join('\n'),
      );
    });

  site
    .command('reset')
    .description('go back to the bundled manifest')
    .action(async (_o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('sites.reset', {}));
      emit(globals(cmd), r, () => `using the bundled manifest (${r.sites} sites)`);
    });

  const cred = program.command('credential').description('API keys for tools, encrypted at rest');

  cred
    .command('set <name>')
    .description('store a secret read from standard input under <name>')
    .option('--description <text>', 'what the credential is for')
    .action(async (name: string, o: { description?: string }, cmd: Command) => {
      const secret = await readStdinSecret();
      if (!secret) throw new UsageError('no secret on standard input (pipe it in: `printf %s "$KEY" | dossier credential set NAME`)');
      const info = await withCore(cmd, (core) => core.call('credentials.set', { name, secret, description: o.description }));
      emit(globals(cmd), info, () => `stored ${info.name} (sealed with ${info.boxKind})`);
    });

  cred
    .command('list')
    .description('list credential names (never their values)')
    .action(async (_o: unknown, cmd: Command) => {
      const list = await withCore(cmd, (core) => core.call('credentials.list', {}));
      emit(globals(cmd), list, () => table(list, ['name', 'description', 'boxKind', 'updatedAt']));
    });

  cred
    .command('delete <name>')
    .description('delete a credential')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('credentials.delete', { name }));
      emit(globals(cmd), r, () => `deleted ${r.name}`);
    });
}
