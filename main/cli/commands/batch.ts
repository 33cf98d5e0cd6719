import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { BATCH_STATUSES, OPERATION_STATUSES, CreateBatch, type BatchSource, type BatchSummary } from '../../../preload/contract/batches.ts';
import { ENTITY_TYPES } from '../../../preload/contract/entities.ts';
import type { DossierCore } from '../../core/core.ts';
import { formatIssues } from '../../core/util/format-issues.ts';
import { withCore, withInterrupt } from '../core.ts';
import { globals, type GlobalOptions } from '../globals.ts';
import { emit, table } from '../output.ts';
import { InterruptedError, UsageError, collect, parseIntArg, parsePairs } from '../errors.ts';
import { resolveFilter, withFilterOptions, type FilterFlags } from '../filter-options.ts';

interface RunOptions {
  investigation: string;
  tool?: string;
  template?: string;
  input?: string[];
  inputFile?: string;
  column?: string;
  param?: string[];
  maxParallel?: number;
  name?: string;
  placeholder?: string;
  inputType?: string;
  priority?: number;
  stopOnError?: boolean;
}

function human(s: BatchSummary): string {
  return `batch ${s.id} ${s.status}: ${s.completed} completed, ${s.failed} failed, ${s.cancelled} cancelled of ${s.total}`;
}

function printSummary(g: GlobalOptions, s: BatchSummary, note?: string): void {
  emit(g, { id: s.id, status: s.status, total: s.total, completed: s.completed, failed: s.failed, cancelled: s.cancelled }, () => human(s) + (note ? `\n${note}` : ''));
}

/**
 * Run a batch in this process until it ends (`batches.runHere`): a progress bar on a TTY (count,
 * rate, ETA); Ctrl-C pauses the batch (so no other process picks it up), stops cleanly (runs in
 * flight go back to pending) and the command exits 130; `batch resume` continues it.
 */
async function runForeground(core: DossierCore, id: string, g: GlobalOptions): Promise<{ summary: BatchSummary; interrupted: boolean }> {
  let bar: cliProgress.SingleBar | null = null;
  const off = core.bus.on('batch.progress', (p) => {
    if (p.batchId !== id) return;
    const done = p.counts.completed + p.counts.failed + p.counts.cancelled;
    if (!bar && !g.json && process.stderr.isTTY) {
      bar = new cliProgress.SingleBar(
        { format: ' {bar} {value}/{total} | {rate}/s | ETA {eta_text} | failed {failed}', hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.counts.total, done, { rate: '0', eta_text: '…', failed: p.counts.failed });
    }
    if (bar) {
      bar.setTotal(p.counts.total);
      bar.update(done, { rate: p.ratePerSecond.toFixed(1), eta_text: p.etaMs === null ? '…' : formatMs(p.etaMs), failed: p.counts.failed });
    }
  });
  try {
    return await withInterrupt((signal) => core.call('batches.runHere', { id }, { signal }));
  } finally {
    off();
    (bar as cliProgress.SingleBar | null)?.stop();
  }
}

function formatMs(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

async function foreground(core: DossierCore, id: string, cmd: Command): Promise<void> {
  const g = globals(cmd);
  const { summary, interrupted } = await runForeground(core, id, g);
  printSummary(g, summary);
  if (interrupted) throw new InterruptedError(`interrupted: batch ${id} is paused; continue with: dossier batch resume ${id}`);
}

export function registerBatch(program: Command): void {
  const batch = program.command('batch').description('run many lookups at once, durably');

  batch
    .command('run')
    .description('create a batch and run it in the foreground until it ends')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--tool <tool>', 'tool to run on every input')
    .option('--template <name>', 'template to run on every input (instead of --tool)')
    .option('--input <value>', 'an input value (repeatable)', collect)
    .option('--input-file <file>', 'TXT (one value per line) or CSV file of inputs')
    .option('--column <name>', 'CSV column to read (header name or 1-based number; default the first)')
    .option('--param <key=value>', 'tool parameter (repeatable), e.g. sites=GitHub,GitLab', collect)
    .option('--max-parallel <n>', 'operations of this batch at once (1-50)', parseIntArg('--max-parallel', 1, 50))
    .option('--name <name>', 'batch name')
    .option('--placeholder <name>', 'template placeholder the inputs fill (when it has several)')
    .option('--input-type <type>', `entity type of the inputs (${ENTITY_TYPES.join('|')})`)
    .option('--priority <n>', 'higher runs first (-100..100)', parseIntArg('--priority', -100, 100))
    .option('--stop-on-error', 'stop at the first failed operation')
    .action(async (o: RunOptions, cmd: Command) => {
      if (Boolean(o.tool) === Boolean(o.template)) throw new UsageError('give --tool or --template (one of them)');
      const hasInputs = (o.input?.length ?? 0) > 0;
      if (hasInputs === Boolean(o.inputFile)) throw new UsageError('give inputs with --input (repeatable) or --input-file (one of them)');
      if (o.column && !o.inputFile) throw new UsageError('--column applies to --input-file');
      if (o.param?.length && o.template) throw new UsageError('--param applies to --tool; a template carries its own parameters');
      if (o.inputType && !(ENTITY_TYPES as readonly string[]).includes(o.inputType)) throw new UsageError(`--input-type must be one of ${ENTITY_TYPES.join(', ')}`);
      const params = parsePairs(o.param, '--param');
      const source: BatchSource = o.inputFile
        ? { kind: 'file', path: o.inputFile, ...(o.column ? { column: o.column } : {}) }
        : { kind: 'list', values: o.input! };
      const parsed = CreateBatch.safeParse({
        investigationId: o.investigation,
        name: o.name,
        tool: o.tool,
        template: o.template,
        params: o.tool ? params : undefined,
        placeholder: o.placeholder,
        inputType: o.inputType,
        source,
        options: {
          ...(o.maxParallel ? { maxParallel: o.maxParallel } : {}),
          ...(o.priority !== undefined ? { priority: o.priority } : {}),
          ...(o.stopOnError ? { stopOnError: true } : {}),
        },
      });
      if (!parsed.success) throw new UsageError(formatIssues(parsed.error));
      await withCore(cmd, async (core) => {
        // Created with this process's lease so no other executor (the desktop) picks it up first.
        // Bad input of any kind (unknown tool, bad params, a bad file) is a typed invalid_input: exit 2, nothing created.
        const created = await core.call('batches.create', { ...parsed.data, runHere: true });
        if (!globals(cmd).json) process.stderr.write(`batch ${created.id}: ${created.counts.total} operations\n`);
        await foreground(core, created.id, cmd);
      });
    });

  batch
    .command('resume <id>')
    .description('continue an interrupted or paused batch in the foreground until it ends')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const b = await core.call('batches.get', { id });
        // This process's executor is not a worker: resuming only flips the status; runHere then runs it.
        if (b.status === 'paused') await core.call('batches.resume', { id });
        await foreground(core, id, cmd);
      });
    });

  batch
    .command('retry <id>')
    .description('run the failed operations of a batch again, in the foreground')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await withCore(cmd, async (core) => {
        const { retried } = await core.call('batches.retryFailed', { id });
        if (!globals(cmd).json) process.stderr.write(`${retried} failed operation(s) back to pending\n`);
        await foreground(core, id, cmd);
      });
    });

  batch
    .command('show <id>')
    .description('a batch with its counts')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const b = await withCore(cmd, (core) => core.call('batches.get', { id }));
      emit(globals(cmd), b, () =>
        [
          `${b.id}  ${b.name}`,
          `status      ${b.status}${b.error ? ` (${b.error})` : ''}`,
          `${b.tool ? 'tool' : 'template'}        ${b.tool ?? b.templateName ?? ''}`,
          `operations  ${b.counts.total} total: ${b.counts.completed} completed, ${b.counts.failed} failed, ${b.counts.cancelled} cancelled, ${b.counts.running} running, ${b.counts.pending} pending`,
          `options     max_parallel ${b.options.maxParallel}, priority ${b.options.priority}, stop_on_error ${b.options.stopOnError}, retry ${b.options.retry.attempts} attempts, follow-up depth ${b.options.followUpDepth}`,
          `created     ${b.createdAt}${b.startedAt ? `, started ${b.startedAt}` : ''}${b.finishedAt ? `, finished ${b.finishedAt}` : ''}`,
        ].join('\n'),
      );
    });

  withFilterOptions(batch.command('operations <id>'))
    .description('operations of a batch, in order')
    .option('--status <status>', 'only this status')
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 1000), 100)
    .option('--offset <n>', 'page start', parseIntArg('--offset', 0, Number.MAX_SAFE_INTEGER), 0)
    .action(async (id: string, o: { status?: string; limit: number; offset: number } & FilterFlags, cmd: Command) => {
      if (o.status && !(OPERATION_STATUSES as readonly string[]).includes(o.status)) throw new UsageError(`--status must be one of ${OPERATION_STATUSES.join(', ')}`);
      const page = await withCore(cmd, async (core) =>
        core.call('batches.operations', { batchId: id, status: o.status as 'failed' | undefined, filter: await resolveFilter(core, 'operations', o), limit: o.limit, offset: o.offset }),
      );
      emit(globals(cmd), page, () =>
        table(page.items.map((op) => ({ ...op, input: op.inputValue })), ['id', 'seq', 'tool', 'input', 'status', 'attempts', 'durationMs', 'error']) + `\n${page.items.length} of ${page.total}`,
      );
    });

  batch
    .command('list')
    .description('list batches')
    .option('--investigation <id>', 'only this investigation')
    .option('--status <status>', `only this status (${BATCH_STATUSES.join('|')})`)
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 500), 50)
    .action(async (o: { investigation?: string; status?: string; limit: number }, cmd: Command) => {
      if (o.status && !(BATCH_STATUSES as readonly string[]).includes(o.status)) throw new UsageError(`--status must be one of ${BATCH_STATUSES.join(', ')}`);
      const page = await withCore(cmd, (core) =>
        core.call('batches.list', { investigationId: o.investigation, status: o.status as 'running' | undefined, limit: o.limit }),
      );
      emit(globals(cmd), page, () =>
        table(
          page.items.map((b) => ({ id: b.id, name: b.name, status: b.status, total: b.counts.total, completed: b.counts.completed, failed: b.counts.failed, created: b.createdAt })),
          ['id', 'name', 'status', 'total', 'completed', 'failed', 'created'],
        ),
      );
    });

  batch
    .command('cancel <id>')
    .description('cancel a batch (runs in flight are aborted)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const b = await withCore(cmd, (core) => core.call('batches.cancel', { id }));
      printSummary(globals(cmd), { id: b.id, status: b.status, total: b.counts.total, completed: b.counts.completed, failed: b.counts.failed, cancelled: b.counts.cancelled });
    });

  batch
    .command('delete <id>')
    .description('delete a batch and its operation log; --with-finds also the entities and links only it found')
    .option('--with-finds', 'also delete what only this batch found (what another run found, or you added, edited or linked, stays)')
    .option('--yes', 'with --with-finds: delete without printing the count first (without it nothing is deleted)')
    .action(async (id: string, o: { withFinds?: boolean; yes?: boolean }, cmd: Command) => {
      const out = await withCore(cmd, async (core) => {
        if (o.withFinds && !o.yes) {
          const n = await core.call('batches.onlyFinds', { id });
          throw new UsageError(
            `batch ${id} is the only finder of ${plural(n.entities, 'entity', 'entities')} and ${plural(n.links, 'link', 'links')}; nothing was deleted\nrun it again with --yes to delete the batch and them`,
          );
        }
        return core.call('batches.delete', { id, withFinds: Boolean(o.withFinds) });
      });
      emit(globals(cmd), out, () =>
        o.withFinds ? `deleted batch ${out.id} with ${plural(out.entities, 'entity', 'entities')} and ${plural(out.links, 'link', 'links')} only it found` : `deleted batch ${out.id}; the entities it found stay`,
      );
    });
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
