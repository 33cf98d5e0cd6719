import type { Command } from 'commander';
import { CHANGE_KINDS, CreateWatch, UpdateWatch, type ChangeKind, type Watch, type WatchDiff, type WatchRun } from '../../../preload/contract/watches.ts';
import { VERDICTS, type VerdictKind } from '../../../preload/contract/verdicts.ts';
import { formatIssues } from '../../core/util/format-issues.ts';
import { withCore, withInterrupt } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { InterruptedError, UsageError, collect, parseIntArg, parsePairs } from '../errors.ts';

interface AddOptions {
  investigation: string;
  template?: string;
  tool?: string;
  input?: string[];
  param?: string[];
  every?: string;
  cron?: string;
  tz?: string;
  name?: string;
  paused?: boolean;
}

const counts = (c: { new: number; vanished: number; changed: number }) => `${c.new} new, ${c.vanished} vanished, ${c.changed} changed`;

function watchLine(w: Watch): string {
  return [
    `${w.id}  ${w.name}`,
    `target      ${w.tool ? `tool ${w.tool}` : w.template ? `template ${w.template}` : (w.builtin ?? '')}${w.inputs.length ? ` on ${w.inputs.join(', ')}` : ''}`,
    `schedule    ${w.schedule.description}`,
    `status      ${w.status}${w.nextRunAt ? `, next run ${w.nextRunAt}` : ''}`,
    `last run    ${w.lastRunAt ?? 'never'}`,
    `last change ${w.lastChangeAt ? `${w.lastChangeAt} (${counts(w.lastChangeCounts!)})` : 'none yet'}`,
  ].join('\n');
}

function runRow(r: WatchRun) {
  return { run: r.id, seq: r.seq, status: r.status, trigger: r.trigger, batch: r.batchId ?? '', started: r.startedAt, changes: r.baseline ? `baseline (${r.counts.new})` : counts(r.counts) };
}

function diffText(d: WatchDiff): string {
  const head = `run ${d.run.seq} of "${d.watch.name}" (${d.run.status})${d.run.baseline ? ': first run, everything is its baseline' : `: ${counts(d.counts)}`}`;
  const mark: Record<ChangeKind, string> = { new: '+', vanished: '-', changed: '~' };
  const lines = d.items.map(
    (c) => `${mark[c.change]} ${c.kind === 'link' ? `link ${c.type}` : c.type} ${c.value}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}${c.verdict ? ` [${c.verdict.replace('_', ' ')}]` : ''}`,
  );
  const more = d.total > d.items.length ? [`… ${d.total - d.items.length} more (--limit, --offset)`] : [];
  return [head, ...lines, ...more].join('\n');
}

export function registerWatch(program: Command): void {
  const watch = program.command('watch').description('re-run a template or tool on a schedule and report what changed');

  watch
    .command('add')
    .description('create a watch')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--template <name>', 'template to run (its one placeholder filled by --input)')
    .option('--tool <tool>', 'tool to run on every --input')
    .option('--input <value>', 'an input value (repeatable)', collect)
    .option('--param <key=value>', 'tool parameter (repeatable), e.g. sites=GitHub,GitLab', collect)
    .option('--every <interval>', 'interval, e.g. 6h, 30m, 1d')
    .option('--cron <expr>', 'cron expression, e.g. "0 9 * * 1-5"')
    .option('--tz <zone>', 'time zone of the cron expression (IANA name)', 'UTC')
    .option('--name <name>', 'watch name')
    .option('--paused', 'create it paused')
    .action(async (o: AddOptions, cmd: Command) => {
      if (Boolean(o.tool) === Boolean(o.template)) throw new UsageError('give --tool or --template (one of them)');
      if (Boolean(o.every) === Boolean(o.cron)) throw new UsageError('give --every or --cron (one of them)');
      if (!o.input?.length) throw new UsageError('give at least one --input');
      if (o.param?.length && o.template) throw new UsageError('--param applies to --tool; a template carries its own parameters');
      const parsed = CreateWatch.safeParse({
        investigationId: o.investigation,
        name: o.name,
        tool: o.tool,
        template: o.template,
        inputs: o.input,
        params: o.tool ? parsePairs(o.param, '--param') : undefined,
        schedule: { every: o.every, cron: o.cron, timezone: o.tz },
        paused: Boolean(o.paused),
      });
      if (!parsed.success) throw new UsageError(formatIssues(parsed.error));
      const w = await withCore(cmd, (core) => core.call('watches.create', parsed.data));
      emit(globals(cmd), w, () => watchLine(w));
    });

  watch
    .command('edit <id>')
    .description('change a watch\'s name, inputs, tool parameters or schedule (its target stays)')
    .option('--name <name>', 'new name')
    .option('--input <value>', 'replace the inputs (repeatable)', collect)
    .option('--param <key=value>', 'replace the tool parameters (repeatable)', collect)
    .option('--every <interval>', 'new interval, e.g. 6h, 30m, 1d')
    .option('--cron <expr>', 'new cron expression')
    .option('--tz <zone>', 'time zone of the schedule (IANA name); alone, keeps the interval or cron')
    .action(async (id: string, o: Omit<AddOptions, 'investigation' | 'template' | 'tool' | 'paused'>, cmd: Command) => {
      if (o.every && o.cron) throw new UsageError('give --every or --cron, not both');
      if (o.name === undefined && !o.input?.length && !o.param?.length && !o.every && !o.cron && o.tz === undefined) {
        throw new UsageError('nothing to change: give --name, --input, --param, --every, --cron or --tz');
      }
      const params = o.param?.length ? parsePairs(o.param, '--param') : undefined;
      const w = await withCore(cmd, async (core) => {
        let schedule: { every?: string; cron?: string; timezone?: string } | undefined;
        if (o.every || o.cron || o.tz !== undefined) {
          const cur = (await core.call('watches.get', { id })).schedule;
          schedule = o.every ? { every: o.every } : o.cron ? { cron: o.cron } : cur.cron ? { cron: cur.cron } : { every: cur.every! };
          schedule.timezone = o.tz ?? cur.timezone;
        }
        const parsed = UpdateWatch.safeParse({ id, name: o.name, inputs: o.input, params, schedule });
        if (!parsed.success) throw new UsageError(formatIssues(parsed.error));
        return core.call('watches.update', parsed.data);
      });
      emit(globals(cmd), w, () => watchLine(w));
    });

  watch
    .command('list')
    .description('list watches with their next run and last change')
    .option('--investigation <id>', 'only this investigation')
    .action(async (o: { investigation?: string }, cmd: Command) => {
      const page = await withCore(cmd, (core) => core.call('watches.list', { investigationId: o.investigation, limit: 500 }));
      emit(globals(cmd), page, () =>
        table(
          page.items.map((w) => ({
            id: w.id,
            name: w.name,
            schedule: w.schedule.description,
            status: w.status,
            next: w.nextRunAt ?? '',
            'last change': w.lastChangeAt ? `${w.lastChangeAt} (${counts(w.lastChangeCounts!)})` : '',
          })),
          ['id', 'name', 'schedule', 'status', 'next', 'last change'],
        ),
      );
    });

  watch
    .command('show <id>')
    .description('a watch and its recent runs')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { w, runs } = await withCore(cmd, async (core) => ({ w: await core.call('watches.get', { id }), runs: await core.call('watches.runs', { id, limit: 20 }) }));
      emit(globals(cmd), { ...w, recentRuns: runs.items }, () => [watchLine(w), '', table(runs.items.map(runRow), ['run', 'seq', 'status', 'trigger', 'batch', 'started', 'changes'])].join('\n'));
    });

  watch
    .command('run <id>')
    .description('run a watch now, in the foreground, and print its diff')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      // Runs here until the run's batch ends; Ctrl-C leaves the batch resumable.
      const r = await withCore(cmd, (core) => withInterrupt((signal) => core.call('watches.runHere', { id }, { signal })));
      if (r.interrupted) throw new InterruptedError(`interrupted; continue the run's batch with: dossier batch resume ${r.batchId}`);
      emit(globals(cmd), r.diff, () => diffText(r.diff));
    });

  for (const [verb, method, done] of [
    ['pause', 'watches.pause', 'paused'],
    ['resume', 'watches.resume', 'resumed'],
  ] as const) {
    watch
      .command(`${verb} <id>`)
      .description(`${verb} a watch`)
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const w = await withCore(cmd, (core) => core.call(method, { id }));
        emit(globals(cmd), w, () => `${done} "${w.name}"${w.nextRunAt ? `; next run ${w.nextRunAt}` : ''}`);
      });
  }

  watch
    .command('delete <id>')
    .description('delete a watch and its runs (a run in progress is cancelled; batches stay)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('watches.delete', { id }));
      emit(globals(cmd), r, () => `deleted ${id}${r.cancelledBatchId ? `; cancelled its running batch ${r.cancelledBatchId}` : ''}`);
    });

  watch
    .command('diff <run-id>')
    .description('what a watch run found new, vanished or changed against the run before')
    .option('--change <kind>', `only ${CHANGE_KINDS.join('|')}`)
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 1000), 200)
    .option('--offset <n>', 'skip', parseIntArg('--offset', 0, 10_000_000), 0)
    .action(async (runId: string, o: { change?: string; limit: number; offset: number }, cmd: Command) => {
      if (o.change && !(CHANGE_KINDS as readonly string[]).includes(o.change)) throw new UsageError(`--change must be one of ${CHANGE_KINDS.join(', ')}`);
      const d = await withCore(cmd, (core) => core.call('watches.diff', { runId, change: o.change as ChangeKind | undefined, limit: o.limit, offset: o.offset }));
      emit(globals(cmd), d, () => diffText(d));
    });

  // `site check` lives beside the other site commands.
  const site = program.commands.find((c) => c.name() === 'site') ?? program.command('site').description('the site manifest username.sites checks');
  site
    .command('check')
    .description('try every site with its known claimed and free username; mark broken ones degraded')
    .option('--sites <names>', 'only these sites (comma-separated)')
    .option('--daily <on|off>', 'turn the built-in daily check on or off instead')
    .action(async (o: { sites?: string; daily?: string }, cmd: Command) => {
      if (o.daily !== undefined) {
        if (o.daily !== 'on' && o.daily !== 'off') throw new UsageError('--daily must be on or off');
        const r = await withCore(cmd, (core) => core.call('sites.dailyCheck', { enabled: o.daily === 'on' }));
        emit(globals(cmd), r, () => (r.enabled ? `daily site check on (watch ${r.watchId}); it runs in the desktop app, serve or relay start` : 'daily site check off'));
        return;
      }
      const names = o.sites?.split(',').map((s) => s.trim()).filter(Boolean);
      if (o.sites !== undefined && !names?.length) throw new UsageError('--sites needs at least one name');
      const s = await withCore(cmd, (core) => core.call('sites.check', { sites: names }));
      emit(globals(cmd), s, () =>
        [
          `checked ${s.checked} sites: ${s.ok} ok, ${s.degraded} degraded, ${s.inconclusive} inconclusive`,
          ...(s.newlyDegraded.length ? [`newly degraded: ${s.newlyDegraded.join(', ')}`] : []),
          ...(s.recovered.length ? [`working again: ${s.recovered.join(', ')}`] : []),
          table(
            s.results.filter((r) => r.outcome !== 'ok'),
            ['site', 'outcome', 'status', 'reason'],
          ),
        ].join('\n'),
      );
    });

  site
    .command('health')
    .description('each site\'s status, reason and last check')
    .option('--degraded', 'only degraded sites')
    .action(async (o: { degraded?: boolean }, cmd: Command) => {
      const rows = (await withCore(cmd, (core) => core.call('sites.health', {}))).filter((h) => !o.degraded || h.status === 'degraded');
      emit(globals(cmd), rows, () => table(rows.map((h) => ({ ...h, 'last check': h.lastCheckedAt ?? '' })), ['site', 'status', 'since', 'last check', 'reason']));
    });

  const verdict = program.command('verdict').description('mark finds confirmed or false positive (remembered for the site and username)');
  verdict
    .command('set <entity-id> <verdict>')
    .description(`give a verdict (${VERDICTS.join('|')})`)
    .option('--note <text>', 'why')
    .action(async (entityId: string, v: string, o: { note?: string }, cmd: Command) => {
      if (!(VERDICTS as readonly string[]).includes(v)) throw new UsageError(`verdict must be one of ${VERDICTS.join(', ')}`);
      const r = await withCore(cmd, (core) => core.call('verdicts.set', { entityId, verdict: v as VerdictKind, note: o.note ?? '' }));
      emit(globals(cmd), r, () => `${entityId}: ${r.verdict.replace('_', ' ')}${r.scope === 'site-username' ? ` (remembered for ${r.site} / ${r.username} in every investigation)` : ''}`);
    });
  verdict
    .command('clear <entity-id>')
    .description('remove the verdict')
    .action(async (entityId: string, _o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('verdicts.clear', { entityId }));
      emit(globals(cmd), r, () => (r.cleared ? `${entityId}: verdict removed` : `${entityId} had no verdict`));
    });
  verdict
    .command('list')
    .description('remembered verdicts')
    .option('--investigation <id>', 'the verdicts that apply to this investigation\'s entities')
    .action(async (o: { investigation?: string }, cmd: Command) => {
      if (o.investigation) {
        const rows = await withCore(cmd, (core) => core.call('verdicts.forInvestigation', { investigationId: o.investigation! }));
        emit(globals(cmd), rows, () => table(rows.map((v) => ({ entity: v.appliesTo, verdict: v.verdict, site: v.site ?? '', username: v.username ?? '', from: v.inherited ? v.investigationId : 'here', note: v.note })), ['entity', 'verdict', 'site', 'username', 'from', 'note']));
        return;
      }
      const page = await withCore(cmd, (core) => core.call('verdicts.list', { limit: 1000 }));
      emit(globals(cmd), page, () => table(page.items.map((v) => ({ verdict: v.verdict, site: v.site ?? '', username: v.username ?? '', entity: v.entityType ? `${v.entityType} ${v.normalized}` : '', note: v.note, updated: v.updatedAt })), ['verdict', 'site', 'username', 'entity', 'note', 'updated']));
    });
}
