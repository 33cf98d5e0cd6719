import type { Command } from 'commander';
import { ARGV_SECRET_FLAG, secretFromOptions } from '../secret-input.ts';
import {
  HMAC_ALGORITHMS,
  HMAC_ENCODINGS,
  RELAY_PROVIDER_IDS,
  RELAY_VERIFICATIONS,
  type RelayProviderId,
  type RelayProviderOptions,
} from '../../../preload/contract/relay.ts';
import type { DossierCore } from '../../core/core.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { untilSignal, withCore } from '../core.ts';
import { globals } from '../globals.ts';
import { emit, table } from '../output.ts';
import { UsageError, collect, parseIntArg, parsePairs } from '../errors.ts';
import { resolveFilter, withFilterOptions, type FilterFlags } from '../filter-options.ts';

function oneOf<T extends string>(flag: string, allowed: readonly T[], v: string | undefined): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** An endpoint given by slug or id. */
async function endpointId(core: DossierCore, ref: string): Promise<string> {
  const all = await core.call('relay.endpoints.list', {});
  const ep = all.find((e) => e.slug === ref || e.id === ref);
  if (!ep) throw new UsageError(`no relay endpoint "${ref}" (see \`dossier relay endpoint list\`)`);
  return ep.id;
}

export function registerRelay(program: Command): void {
  const relay = program.command('relay').description('local webhook relay: receive, verify, log, forward and replay inbound webhooks');
  const endpoint = relay.command('endpoint').description('relay endpoints (/hooks/<slug>)');

  endpoint
    .command('add')
    .description('add an endpoint; prints its id, URL and secret')
    .requiredOption('--slug <slug>', 'path segment: /hooks/<slug> (a-z, 0-9, -)')
    .requiredOption('--provider <provider>', `signature scheme (${RELAY_PROVIDER_IDS.join('|')})`)
    .option('--secret-stdin', 'read the signing secret from standard input (generated when omitted)')
    .option(...ARGV_SECRET_FLAG)
    .option('--forward-to <url>', 'forward accepted requests to this URL')
    .option('--header <name>', 'hmac: header carrying the signature (default x-signature)')
    .option('--algorithm <alg>', `hmac: ${HMAC_ALGORITHMS.join('|')} (default sha256)`)
    .option('--encoding <enc>', `hmac: ${HMAC_ENCODINGS.join('|')} (default hex)`)
    .option('--prefix <prefix>', 'hmac: text before the digest, e.g. sha256=')
    .option('--id-header <name>', 'header with the delivery id (hmac, none)')
    .option('--event-header <name>', 'header with the event type (hmac, none)')
    .option('--body-limit <bytes>', 'largest accepted body', parseIntArg('--body-limit', 1, 50 * 1024 * 1024))
    .option('--tolerance <seconds>', 'timestamp tolerance', parseIntArg('--tolerance', 1, 86_400))
    .option('--inactive', 'create it switched off')
    .option('--channel <channel-id>', 'also take requests from this team channel (chn_…; needs `dossier sync connect`)')
    .action(async (o: Record<string, string | number | boolean | undefined>, cmd: Command) => {
      const provider = oneOf('--provider', RELAY_PROVIDER_IDS, o.provider as string)!;
      const options: RelayProviderOptions = {};
      if (o.header !== undefined) options.header = String(o.header);
      if (o.algorithm !== undefined) options.algorithm = oneOf('--algorithm', HMAC_ALGORITHMS, String(o.algorithm));
      if (o.encoding !== undefined) options.encoding = oneOf('--encoding', HMAC_ENCODINGS, String(o.encoding));
      if (o.prefix !== undefined) options.prefix = String(o.prefix);
      if (o.idHeader !== undefined) options.idHeader = String(o.idHeader);
      if (o.eventHeader !== undefined) options.eventHeader = String(o.eventHeader);
      const secret = await secretFromOptions(o);
      const created = await withCore(cmd, (core) =>
        core.call('relay.endpoints.create', {
          slug: String(o.slug),
          provider: provider as RelayProviderId,
          secret,
          forwardTo: (o.forwardTo as string | undefined) ?? null,
          bodyLimit: o.bodyLimit as number | undefined,
          toleranceSeconds: o.tolerance as number | undefined,
          active: !o.inactive,
          options,
          channelId: (o.channel as string | undefined) ?? null,
        }),
      );
      emit(globals(cmd), created, () =>
        [
          `${created.id}\t${created.url}`,
          created.secret ? `secret: ${created.secret}` : 'no secret (provider none)',
          ...(created.channelId ? [`takes requests from team channel ${created.channelId} while \`dossier relay start\`, \`serve\` or the app runs`] : []),
        ].join('\n'),
      );
    });

  endpoint
    .command('list')
    .description('list endpoints')
    .action(async (_o: unknown, cmd: Command) => {
      const list = await withCore(cmd, (core) => core.call('relay.endpoints.list', {}));
      emit(globals(cmd), list, () => table(list.map((e) => ({ ...e, requests: e.requestCount })), ['id', 'slug', 'provider', 'active', 'forwardTo', 'channelId', 'requests', 'url']));
    });

  endpoint
    .command('delete <slug-or-id>')
    .description('delete an endpoint (its logged requests stay)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const out = await withCore(cmd, async (core) => core.call('relay.endpoints.delete', { id: await endpointId(core, ref) }));
      emit(globals(cmd), out, () => `deleted ${out.id}`);
    });

  const rule = relay.command('rule').description('routing rules: start a batch template when a request matches');

  rule
    .command('list')
    .description("list an endpoint's rules")
    .requiredOption('--endpoint <slug-or-id>', 'endpoint')
    .action(async (o: { endpoint: string }, cmd: Command) => {
      const rules = await withCore(cmd, async (core) => core.call('relay.rules.list', { endpointId: await endpointId(core, o.endpoint) }));
      emit(globals(cmd), rules, () =>
        table(
          rules.map((r) => ({ ...r, when: [r.eventType && `event ${r.eventType}`, r.matchPath && `${r.matchPath}${r.matchValue !== null ? ` = ${r.matchValue}` : ''}`].filter(Boolean).join(' and ') })),
          ['id', 'name', 'when', 'template', 'investigationId', 'inputs', 'trusted'],
        ),
      );
    });

  rule
    .command('delete <rule-id>')
    .description('delete a rule')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const out = await withCore(cmd, (core) => core.call('relay.rules.delete', { id }));
      emit(globals(cmd), out, () => `deleted ${out.id}`);
    });

  rule
    .command('add')
    .description('start a batch template when a request matches')
    .requiredOption('--endpoint <slug-or-id>', 'endpoint')
    .requiredOption('--name <name>', 'rule name')
    .requiredOption('--template <name>', 'batch template to start')
    .requiredOption('--investigation <id>', 'investigation the batch runs in')
    .option('--event <type>', 'event type (exact, or prefix ending in *)')
    .option('--match <jsonpath>', 'JSONPath that must find something in the body')
    .option('--equals <value>', 'with --match: a found value must equal this')
    .option('--input <name=jsonpath>', 'template input taken from the body (repeatable)', collect)
    .option('--trusted', "trust the sender: the batches may reach private addresses and read local files (default: they may not)")
    .action(async (o: { endpoint: string; name: string; template: string; investigation: string; event?: string; match?: string; equals?: string; input?: string[]; trusted?: boolean }, cmd: Command) => {
      const rule = await withCore(cmd, async (core) =>
        core.call('relay.rules.create', {
          endpointId: await endpointId(core, o.endpoint),
          name: o.name,
          template: o.template,
          investigationId: o.investigation,
          eventType: o.event ?? null,
          matchPath: o.match ?? null,
          matchValue: o.equals ?? null,
          inputs: parsePairs(o.input, '--input'),
          trusted: Boolean(o.trusted),
        }),
      );
      emit(globals(cmd), rule, () => `${rule.id}\t${rule.name}`);
    });

  relay
    .command('start')
    .description('run the receiver (and the delivery worker and executor) until SIGINT/SIGTERM')
    .option('--host <host>', 'address to bind (default: setting relay.host, 127.0.0.1)')
    .option('--port <port>', 'port (0 picks a free one; default: setting relay.port)', parseIntArg('--port', 0, 65535))
    .action(async (o: { host?: string; port?: number }, cmd: Command) => {
      const g = globals(cmd);
      const { createCore } = await import('../../core/core.ts');
      // strict: a port already taken fails the command instead of moving to another one.
      const core = await createCore({ dataDir: g.dataDir, mode: 'cli', relay: { host: o.host, port: o.port, strict: true } });
      try {
        // Also the outbound delivery worker and the executor resuming interrupted batches.
        await core.startWorkers();
        const { url } = await core.call('relay.status', {});
        if (!url) throw new DossierError('unavailable', 'the relay receiver did not start');
        if (g.json) process.stdout.write(JSON.stringify({ event: 'listening', url }) + '\n');
        else process.stdout.write(`Relay listening at ${url} (POST ${url}/hooks/<slug>)\n`);
        await untilSignal();
      } finally {
        await core.close();
      }
    });

  withFilterOptions(relay.command('requests'))
    .description('list logged requests, newest first')
    .option('--slug <slug>', 'only this endpoint')
    .option('--status <status>', 'an exact status (404) or a class (4xx)')
    .option('--verification <v>', `only ${RELAY_VERIFICATIONS.join('|')}`)
    .option('--limit <n>', 'page size', parseIntArg('--limit', 1, 1000), 50)
    .option('--offset <n>', 'page start', parseIntArg('--offset', 0, Number.MAX_SAFE_INTEGER), 0)
    .action(async (o: { slug?: string; status?: string; verification?: string; limit: number; offset: number } & FilterFlags, cmd: Command) => {
      let status: number | '2xx' | '3xx' | '4xx' | '5xx' | undefined;
      if (o.status !== undefined) {
        if (/^[2-5]xx$/.test(o.status)) status = o.status as '2xx';
        else if (/^\d{3}$/.test(o.status)) status = Number(o.status);
        else throw new UsageError(`--status must be a code like 404 or a class like 4xx, got "${o.status}"`);
      }
      const page = await withCore(cmd, async (core) =>
        core.call('relay.requests.list', {
          filter: await resolveFilter(core, 'relay_requests', o),
          slug: o.slug,
          status,
          verification: oneOf('--verification', RELAY_VERIFICATIONS, o.verification),
          limit: o.limit,
          offset: o.offset,
        }),
      );
      emit(globals(cmd), page, () =>
        table(page.items.map((r) => ({ ...r, dup: r.duplicateOf ?? '', forward: r.forwardState ?? '' })), ['id', 'receivedAt', 'method', 'slug', 'status', 'verification', 'eventType', 'deliveryId', 'size', 'latencyMs', 'forward', 'error']),
      );
    });

  relay
    .command('replay <request-id>')
    .description('replay a logged request to its forward target, or back through verification and rules')
    .option('--to <target>', 'forward | pipeline (default: forward when the endpoint forwards, else pipeline)')
    .action(async (idArg: string, o: { to?: string }, cmd: Command) => {
      const id = parseIntArg('<request-id>', 1, Number.MAX_SAFE_INTEGER)(idArg);
      const target = oneOf('--to', ['forward', 'pipeline'] as const, o.to);
      // Actions of a pipeline replay run before the answer (foreground), so the command shows their outcome.
      const out = await withCore(cmd, (core) => core.call('relay.replay', { id, target, foreground: true }));
      emit(globals(cmd), out, () =>
        out.target === 'forward'
          ? `forwarded to ${out.attempt.url}: ${out.attempt.status ?? 'no response'} in ${out.attempt.durationMs} ms${out.attempt.error ? ` (${out.attempt.error})` : ''}`
          : `replayed as request ${out.request.id}: ${out.request.status} ${out.request.verification}`,
      );
    });
}
