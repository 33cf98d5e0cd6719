import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { TemplateDocument, type CommandStep } from '../../../preload/contract/templates.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { formatIssues } from '../../core/util/format-issues.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError } from '../errors.ts';

const ImportFile = z.union([TemplateDocument, z.array(TemplateDocument).min(1).max(500)]);

export function registerTemplate(program: Command): void {
  const tpl = program.command('template').description('batch templates: list, show, import, export');

  tpl
    .command('list')
    .description('list templates')
    .action(async (_o: unknown, cmd: Command) => {
      const page = await withCore(cmd, (core) => core.call('templates.list', { limit: 500 }));
      emit(globals(cmd), page, () =>
        table(
          page.items.map((t) => ({ id: t.id, name: t.name, version: t.version, steps: t.steps.length, followUps: t.followUps.length, used: t.usageCount })),
          ['id', 'name', 'version', 'steps', 'followUps', 'used'],
        ),
      );
    });

  tpl
    .command('show <name>')
    .description('a template (by name or id)')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const t = await withCore(cmd, (core) => core.call('templates.get', { id: name }));
      emit(globals(cmd), t, () =>
        [
          `${t.name}  (version ${t.version}, used ${t.usageCount} times)`,
          t.description,
          ...t.steps.map((s, i) => `step ${i + 1}: ${s.tool} on ${s.input}${Object.keys(s.params).length ? ` ${JSON.stringify(s.params)}` : ''}`),
          ...t.followUps.map((r) => `when a ${r.whenType} is found: run ${r.tool}${Object.keys(r.params).length ? ` ${JSON.stringify(r.params)}` : ''}`),
          `follow-ups up to depth ${t.maxDepth}`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  tpl
    .command('import <file>')
    .description('import templates from a JSON file (one document or a list)')
    .option('--replace', 'replace templates of the same name')
    .option('--skip', 'keep templates of the same name')
    .option('--yes', 'with --replace: also replace templates that run local commands (they are listed without it)')
    .action(async (file: string, o: { replace?: boolean; skip?: boolean; yes?: boolean }, cmd: Command) => {
      if (o.replace && o.skip) throw new UsageError('give --replace or --skip, not both');
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not JSON (${(e as Error).message})`}`);
      }
      const parsed = ImportFile.safeParse(raw);
      if (!parsed.success) throw new UsageError(`${file}: not a template document: ${formatIssues(parsed.error)}`);
      const res = await withCore(cmd, async (core) => {
        try {
          return await core.call('templates.import', {
            document: parsed.data,
            onConflict: o.replace ? 'replace' : o.skip ? 'skip' : 'error',
            confirmCommandSteps: Boolean(o.yes),
          });
        } catch (e) {
          const details = DossierError.is(e) ? (e.details as { reason?: string; commandSteps?: CommandStep[] } | undefined) : undefined;
          if (details?.reason !== 'command_steps') throw e;
          const lines = details.commandSteps!.map((c) => `  ${c.template}, ${c.where}: ${c.command} ${c.args}`.trimEnd());
          throw new UsageError(`the import replaces templates that run local commands:\n${lines.join('\n')}\nrun it again with --yes to replace them`);
        }
      });
      emit(globals(cmd), res, () =>
        [
          ...res.created.map((t) => `created ${t.name} (${t.id})`),
          ...res.replaced.map((t) => `replaced ${t.name} (now version ${t.version})`),
          ...res.skipped.map((n) => `skipped ${n} (exists)`),
        ].join('\n'),
      );
    });

  tpl
    .command('export <name>')
    .description('print a template as a portable JSON document (or write it with --out)')
    .option('--out <file>', 'write to this file')
    .action(async (name: string, o: { out?: string }, cmd: Command) => {
      const doc = await withCore(cmd, (core) => core.call('templates.export', { id: name }));
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (o.out) {
        writeFileSync(o.out, text);
        emit(globals(cmd), { file: o.out, name: doc.name }, () => `wrote ${o.out}`);
      } else process.stdout.write(text);
    });
}

/** `template share|unshare` (SPEC §4): a switch that the next sync carries to the team. */
export function registerTemplateSharing(program: Command): void {
  const tpl = program.commands.find((c) => c.name() === 'template')!;
  for (const [verb, method, done] of [
    ['share', 'templates.share', 'shared with the team; it is pushed by the next sync'],
    ['unshare', 'templates.unshare', 'no longer shared; it stays here as a local template'],
  ] as const) {
    tpl
      .command(`${verb} <name>`)
      .description(verb === 'share' ? 'share a template with the team server' : 'stop sharing a template (the team loses it, you keep it)')
      .action(async (name: string, _o: unknown, cmd: Command) => {
        const t = await withCore(cmd, (core) => core.call(method, { id: name }));
        emit(globals(cmd), t, () => `${t.name}: ${done}`);
      });
  }
}
