import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { EXPORT_FORMATS, type ExportFormat } from '../../../preload/contract/reports.ts';
import type { DossierCore } from '../../core/core.ts';
import { withCore } from '../core.ts';
import { globals, type GlobalOptions } from '../globals.ts';
import { emit } from '../output.ts';
import { UsageError } from '../errors.ts';

const EXT: Record<ExportFormat, string> = { json: 'json', csv: '', graphml: 'graphml', gexf: 'gexf', html: 'html', pdf: 'pdf' };

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .toLowerCase() || 'investigation'
  );
}

/** Where each file goes: csv into a directory (default: here), the others to a file (default: <name>.<ext> here, or inside --out when it is a directory). */
export function targets(format: ExportFormat, files: string[], investigationName: string, out: string | undefined): string[] {
  if (format === 'csv') {
    const dir = resolve(out ?? '.');
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: csv writes two files (entities.csv, links.csv); give a directory`);
    return files.map((f) => join(dir, f));
  }
  const name = `${slug(investigationName)}.${EXT[format]}`;
  if (!out) return [resolve(name)];
  const p = resolve(out);
  return [existsSync(p) && statSync(p).isDirectory() ? join(p, name) : p];
}

function progressBar(core: DossierCore, g: GlobalOptions): () => void {
  if (g.json || !process.stderr.isTTY) return () => {};
  let bar: cliProgress.SingleBar | null = null;
  const off = core.bus.on('report.progress', (p) => {
    if (p.kind !== 'export' || p.total < 5_000) return;
    if (!bar) {
      bar = new cliProgress.SingleBar({ format: ' {bar} {value}/{total} rows | ETA {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(p.total, p.done);
    }
    bar.update(p.done);
  });
  return () => {
    off();
    (bar as cliProgress.SingleBar | null)?.stop();
  };
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export an investigation (json: lossless; csv: entities.csv + links.csv for Gephi/Maltego; graphml/gexf: graph tools; html/pdf: a report)')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'))
    .option('--out <path>', 'file to write (csv: a directory); default: the current directory')
    .option('--include-false-positives', 'keep entities marked false positive (and their links); by default they are left out')
    .action(async (o: { investigation: string; format: string; out?: string; includeFalsePositives?: boolean }, cmd: Command) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
      const format = o.format as ExportFormat;
      const g = globals(cmd);
      const done = await withCore(cmd, async (core) => {
        const inv = await core.call('investigations.get', { id: o.investigation });
        const stop = progressBar(core, g);
        let r;
        try {
          r = await core.call('reports.export', { investigationId: inv.id, format, options: { includeFalsePositives: o.includeFalsePositives === true } });
        } finally {
          stop();
        }
        const { exportFile, exportsDir } = await import('../../core/reports/export.ts');
        try {
          const paths = targets(format, r.files.map((f) => f.name), inv.name, o.out);
          const files = r.files.map((f, i) => {
            mkdirSync(dirname(paths[i]!), { recursive: true });
            copyFileSync(exportFile(g.dataDir, r.id, f.name), paths[i]!);
            return { path: paths[i]!, bytes: f.bytes };
          });
          return { id: r.id, investigationId: inv.id, format, files, entities: r.entities, links: r.links, runs: r.runs, falsePositivesLeftOut: r.falsePositivesLeftOut };
        } finally {
          // The CLI has handed the files on; the copy in the data directory is not needed.
          rmSync(join(exportsDir(g.dataDir), r.id), { recursive: true, force: true });
        }
      });
      const leftOut = done.falsePositivesLeftOut ? ` (${done.falsePositivesLeftOut} marked false positive left out; --include-false-positives keeps them)` : '';
      emit(g, done, () => done.files.map((f) => `wrote ${f.path} (${f.bytes} bytes)`).join('\n') + `\n${done.entities} entities, ${done.links} links, ${done.runs} tool runs${leftOut}`);
    });
}
