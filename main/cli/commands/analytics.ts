import type { Command } from 'commander';
import type { DossierCore } from '../../core/core.ts';
import { ANALYTICS_WINDOWS, type AnalyticsWindow } from '../../../preload/contract/analytics.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError } from '../errors.ts';

const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '' : `${v} ms`);

/** All five families for one window and scope: the JSON document of SPEC §3.5 (fixed keys). */
export async function analyticsDocument(core: DossierCore, window: AnalyticsWindow, investigationId?: string) {
  const scope = { window, investigationId };
  const [batches, tools, webhooks, relay, entities] = await Promise.all([
    core.call('analytics.batches', scope),
    core.call('analytics.tools', scope),
    core.call('analytics.webhooks', scope),
    core.call('analytics.relay', scope),
    core.call('analytics.entities', scope),
  ]);
  return {
    window,
    batches: {
      completed: batches.totals.completed,
      failed: batches.totals.failed,
      retried: batches.totals.retried,
      success_rate: batches.totals.successRate,
      running: batches.running.map((b) => ({ id: b.id, name: b.name, total: b.total, done: b.done, per_minute: b.perMinute, eta_seconds: b.etaSeconds })),
    },
    tools: tools.tools.map((t) => ({ tool: t.tool, runs: t.runs, failed: t.failed, p50_ms: t.p50Ms, p95_ms: t.p95Ms, p99_ms: t.p99Ms })),
    errors: tools.errors.map((e) => ({ code: e.code, count: e.count })),
    webhooks: {
      attempts: webhooks.totals.attempts,
      succeeded: webhooks.totals.succeeded,
      failed: webhooks.totals.failed,
      success_rate: webhooks.totals.successRate,
      p50_ms: webhooks.totals.p50Ms,
      p95_ms: webhooks.totals.p95Ms,
      dead_letters: webhooks.totals.deadLetters,
    },
    relay: {
      requests: relay.relay.totals.total,
      success_rate: relay.relay.totals.successRate,
      by_status: Object.fromEntries(relay.relay.statuses.map((s) => [String(s), relay.relay.series.reduce((n, b) => n + (b.byStatus[s] ?? 0), 0)])),
      verification: Object.fromEntries(relay.verification.map((v) => [v.outcome, v.count])),
      top_errors: relay.relay.topErrors,
    },
    entities: {
      total: entities.total,
      by_type: Object.fromEntries(entities.byType.map((e) => [e.type, e.count])),
      verdicts: { confirmed: entities.verdicts.confirmed, false_positive: entities.verdicts.falsePositive },
    },
  };
}

export function registerAnalytics(program: Command): void {
  program
    .command('analytics')
    .description('batches, tools, webhooks, relay and entities over a window (percentiles exact up to 24h, from rollups beyond)')
    .option('--window <window>', `${ANALYTICS_WINDOWS.join('|')}`, '24h')
    .option('--investigation <id>', 'only this investigation (webhooks and the relay are never per investigation)')
    .action(async (o: { window: string; investigation?: string }, cmd: Command) => {
      if (!(ANALYTICS_WINDOWS as readonly string[]).includes(o.window)) throw new UsageError(`--window must be one of ${ANALYTICS_WINDOWS.join(', ')}, got "${o.window}"`);
      const doc = await withCore(cmd, (core) => analyticsDocument(core, o.window as AnalyticsWindow, o.investigation));
      const exact = doc.window === '1h' || doc.window === '24h';
      emit(globals(cmd), doc, () =>
        [
          `Analytics, last ${doc.window}${o.investigation ? ` (investigation ${o.investigation})` : ''}; percentiles ${exact ? 'exact' : 'from daily/hourly rollups (within 15 %)'}`,
          '',
          `Batches: ${doc.batches.completed} completed, ${doc.batches.failed} failed, ${doc.batches.retried} retried; success ${pct(doc.batches.success_rate) || '—'}`,
          ...(doc.batches.running.length ? ['', table(doc.batches.running, ['id', 'name', 'done', 'total', 'per_minute', 'eta_seconds'])] : []),
          '',
          'Tools:',
          table(doc.tools.map((t) => ({ ...t, p50_ms: ms(t.p50_ms), p95_ms: ms(t.p95_ms), p99_ms: ms(t.p99_ms) })), ['tool', 'runs', 'failed', 'p50_ms', 'p95_ms', 'p99_ms']),
          '',
          'Errors by code:',
          table(doc.errors, ['code', 'count']),
          '',
          `Webhooks: ${doc.webhooks.attempts} attempts, success ${pct(doc.webhooks.success_rate) || '—'}, p50 ${ms(doc.webhooks.p50_ms) || '—'}, p95 ${ms(doc.webhooks.p95_ms) || '—'}, ${doc.webhooks.dead_letters} dead letters`,
          `Relay: ${doc.relay.requests} requests, success ${pct(doc.relay.success_rate) || '—'}; by status ${JSON.stringify(doc.relay.by_status)}; verification ${JSON.stringify(doc.relay.verification)}`,
          `Entities: ${doc.entities.total} discovered; ${JSON.stringify(doc.entities.by_type)}; verdicts given: ${doc.entities.verdicts.confirmed} confirmed, ${doc.entities.verdicts.false_positive} false positive`,
        ].join('\n'),
      );
    });
}
