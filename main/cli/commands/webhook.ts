import type { Command } from 'commander';
import { ARGV_SECRET_FLAG, secretFromOptions } from '../secret-input.ts';
import { WEBHOOK_EVENT_TYPES } from '../../../preload/contract/event-types.ts';
import { DELIVERY_STATUSES, type Delivery, type DeliveryStatus, type Webhook } from '../../../preload/contract/webhooks.ts';
import { withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError, collect, parseIntArg, parsePairs } from '../errors.ts';
import { resolveFilter, withFilterOptions, type FilterFlags } from '../filter-options.ts';

function rate(w: Webhook): string {
  return w.stats.successRate === null ? '-' : `${Math.round(w.stats.successRate * 100)}%`;
}

function deliveryRows(items: Delivery[]) {
  return items.map((d) => ({ ...d, code: d.lastStatusCode, error: d.lastError }));
}

export function registerWebhook(program: Command): void {
  const wh = program.command('webhook').description('outbound webhooks: signed, retried deliveries of Dossier events');

  wh.command('add')
    .description('subscribe a URL to events (prints the id and the secret, shown only now)')
    .requiredOption('--url <url>', 'http(s) URL that receives the POSTs')
    .requiredOption('--events <list>', `comma-separated events (${WEBHOOK_EVENT_TYPES.join(',')})`)
    .option('--secret-stdin', 'read the signing secret from standard input (default: a new whsec_ secret)')
    .option(...ARGV_SECRET_FLAG)
    .option('--header <K:V>', 'custom header (repeatable)', collect)
    .option('--description <text>', 'description')
    .option('--timeout <ms>', 'request timeout in ms (1000-30000)', parseIntArg('--timeout', 1000, 30_000))
    .option('--allow-private-network', 'allow loopback/private destinations (turns the SSRF guard off for this webhook)')
    .action(
      async (
        o: { url: string; events: string; secret?: string; secretStdin?: boolean; header?: string[]; description?: string; timeout?: number; allowPrivateNetwork?: boolean },
        cmd: Command,
      ) => {
        const events = o.events.split(',').map((e) => e.trim()).filter(Boolean);
        if (events.length === 0) throw new UsageError('--events needs at least one event');
        const secret = await secretFromOptions(o);
        const headers = parsePairs(o.header, '--header', ':');
        for (const k of Object.keys(headers)) headers[k] = headers[k]!.trim();
        const created = await withCore(cmd, (core) =>
          core.call('webhooks.create', {
            url: o.url,
            events,
            secret,
            headers,
            description: o.description,
            timeoutMs: o.timeout,
            allowPrivateNetwork: Boolean(o.allowPrivateNetwork),
          }),
        );
        emit(globals(cmd), created, () => `id      ${created.id}\nsecret  ${created.secret}\n(the secret is shown only now; keep it to verify signatures)`);
      },
    );

  wh.command('list')
    .description('list webhooks with their delivery statistics')
    .action(async (_o: unknown, cmd: Command) => {
      const list = await withCore(cmd, (core) => core.call('webhooks.list', {}));
      emit(globals(cmd), list, () =>
        table(
          list.map((w) => ({
            id: w.id,
            url: w.url,
            active: w.active ? 'yes' : `no${w.disabledReason ? ` (${w.disabledReason})` : ''}`,
            events: w.events,
            total: w.stats.total,
            ok: w.stats.succeeded,
            failed: w.stats.failed,
            rate: rate(w),
            p50: w.stats.latencyP50Ms,
            last: w.stats.lastDeliveryAt,
          })),
          ['id', 'url', 'active', 'events', 'total', 'ok', 'failed', 'rate', 'p50', 'last'],
        ),
      );
    });

  wh.command('test <id>')
    .description('send a webhook.test event now and show the answer')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('webhooks.test', { id }));
      emit(globals(cmd), r, () =>
        [`${r.ok ? 'OK' : 'FAILED'}  status ${r.statusCode ?? '-'}  ${r.durationMs} ms  delivery ${r.delivery.id}`, r.error ? `error: ${r.error}` : '', r.body ? `body: ${r.body}` : '']
          .filter(Boolean)
          .join('\n'),
      );
    });

  withFilterOptions(wh.command('deliveries <id>'))
    .description('deliveries of a webhook, newest first')
    .option('--status <status>', `filter by status (${DELIVERY_STATUSES.join('|')})`)
    .option('--event <event>', 'filter by event type')
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 1000), 50)
    .option('--offset <n>', 'page start', parseIntArg('--offset', 0, Number.MAX_SAFE_INTEGER), 0)
    .action(async (id: string, o: { status?: string; event?: string; limit: number; offset: number } & FilterFlags, cmd: Command) => {
      if (o.status && !(DELIVERY_STATUSES as readonly string[]).includes(o.status)) throw new UsageError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`);
      if (o.event && !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(o.event)) throw new UsageError(`--event must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
      const page = await withCore(cmd, async (core) => {
        await core.call('webhooks.get', { id, recent: 0 }); // not_found for an unknown webhook, not an empty list
        return core.call('webhooks.deliveries.list', {
          filter: await resolveFilter(core, 'deliveries', o),
          webhookId: id,
          status: o.status as DeliveryStatus | undefined,
          event: o.event as (typeof WEBHOOK_EVENT_TYPES)[number] | undefined,
          limit: o.limit,
          offset: o.offset,
        });
      });
      emit(globals(cmd), page, () =>
        table(deliveryRows(page.items), ['id', 'event', 'status', 'attempts', 'code', 'lastLatencyMs', 'createdAt', 'nextAttemptAt', 'error']) +
        `\n${page.items.length} of ${page.total}`,
      );
    });

  wh.command('replay <delivery-id>')
    .description('deliver again (new attempt chain, same webhook-id)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const d = await withCore(cmd, (core) => core.call('webhooks.deliveries.replay', { id }));
      const a = d.attemptsLog[0];
      emit(globals(cmd), d, () => `${d.id}  ${d.status}  status ${a?.statusCode ?? '-'}  ${a?.durationMs ?? '-'} ms${a?.error ? `\nerror: ${a.error}` : ''}`);
    });

  wh.command('rotate-secret <id>')
    .description('new signing secret; the old one keeps signing beside it for the grace period')
    .option('--secret-stdin', 'read the new secret from standard input (default: generated)')
    .option(...ARGV_SECRET_FLAG)
    .option('--grace-hours <h>', 'hours the old secret stays valid (default: setting webhooks.rotationGraceHours)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 720) throw new UsageError(`--grace-hours must be a number from 0 to 720, got "${v}"`);
      return n;
    })
    .action(async (id: string, o: { secret?: string; secretStdin?: boolean; graceHours?: number }, cmd: Command) => {
      const secret = await secretFromOptions(o);
      const w = await withCore(cmd, (core) => core.call('webhooks.rotateSecret', { id, secret, graceHours: o.graceHours }));
      emit(globals(cmd), w, () => `secret  ${w.secret}\n${w.previousSecretExpiresAt ? `the previous secret also signs until ${w.previousSecretExpiresAt}` : 'the previous secret no longer signs'}`);
    });

  for (const [name, method, verb] of [
    ['enable', 'webhooks.enable', 'enabled'],
    ['disable', 'webhooks.disable', 'disabled'],
  ] as const) {
    wh.command(`${name} <id>`)
      .description(`${name} a webhook`)
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const w = await withCore(cmd, (core) => core.call(method, { id }));
        emit(globals(cmd), w, () => `${w.id} ${verb}`);
      });
  }

  wh.command('delete <id>')
    .description('delete a webhook and its delivery log')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const r = await withCore(cmd, (core) => core.call('webhooks.delete', { id }));
      emit(globals(cmd), r, () => `${r.id} deleted`);
    });
}
