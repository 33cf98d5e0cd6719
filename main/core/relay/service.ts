import type { CoreContext } from '../context.ts';
import { intervalWorker, type BackgroundWorker } from '../workers.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { relayMethods, type RelayEndpoint, type RelayForwardAttempt, type RelayRequestSummary } from '../../../preload/contract/relay.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { newId } from '../util/ids.ts';
import { EndpointStore, toEndpoint } from './endpoints.ts';
import { LogWriter, type PendingRow } from './log-writer.ts';
import { RelayReceiver } from './receiver.ts';
import { RelayActionWorker, type TemplateStarter } from './actions.ts';
import { RelayAnalyticsQueries } from './analytics.ts';
import { applyRetention } from './retention.ts';
import { getRequest, listRequests } from './requests.ts';
import { rulePathProblem, toRule } from './rules.ts';
import { findTemplate, templatePlaceholders } from '../templates/rows.ts';
import type { TemplateStep } from '../../../preload/contract/templates.ts';
import { parseJson } from '../util/json.ts';
import { sendPlayground, toCurl } from './playground.ts';
import { forwardOnce, type StoredRequest } from './forward.ts';
import { headerMap, originalHeaders } from './headers.ts';
import { decide } from './pipeline.ts';
import { ChannelConsumer, type ChannelConsumerOptions } from './channel-consumer.ts';

const RETENTION_EVERY_MS = 60_000;

/** The relay as one object: what core.ts exposes as `core.relay`. */
export interface RelayService {
  readonly endpoints: EndpointStore;
  readonly writer: LogWriter;
  readonly receiver: RelayReceiver;
  readonly actions: RelayActionWorker;
  /** Team channels streamed into channel-fed endpoints. */
  readonly channels: ChannelConsumer;
  readonly analytics: RelayAnalyticsQueries;
  readonly workers: BackgroundWorker[];
  readonly handlers: HandlersOf<typeof relayMethods>;
  /** Give the rules a batch executor (core.executor); without one matches are recorded as executor_unavailable. */
  useExecutor(get: () => TemplateStarter | undefined): void;
  replay(
    id: number,
    target: 'forward' | 'pipeline',
  ): Promise<{ target: 'forward'; attempt: RelayForwardAttempt } | { target: 'pipeline'; request: RelayRequestSummary }>;
  applyRetention(now?: number): Promise<{ deleted: number }>;
}

export function createRelay(ctx: CoreContext, opts: { channels?: ChannelConsumerOptions } = {}): RelayService {
  const endpoints = new EndpointStore(ctx);
  const writer = new LogWriter(ctx, () => ctx.clock.now());
  const receiver = new RelayReceiver(ctx, endpoints, writer);
  const actions = new RelayActionWorker(ctx);
  const analytics = new RelayAnalyticsQueries(ctx.sqlite);
  const channels = new ChannelConsumer(ctx, endpoints, writer, opts.channels);

  endpoints.onChange = (id, kind) => ctx.bus.emit('relay.endpoints.changed', { id, kind });
  writer.onCommitted = (logged) => {
    let jobs = 0;
    for (const l of logged) {
      jobs += l.jobs;
      ctx.bus.emit('relay.request', { kind: 'received', request: l.summary });
    }
    if (jobs) actions.kick();
  };
  actions.onUpdated = (requestId) => {
    void getRequest(ctx, requestId)
      .then((r) => ctx.bus.emit('relay.request', { kind: 'updated', request: r }))
      .catch(() => undefined);
  };

  const retention = intervalWorker('relay.retention', RETENTION_EVERY_MS, () => applyRetention(ctx), ctx.log);

  // From the hour rollups and one index seek per endpoint: never a scan of the log, however long it is.
  const countStmt = ctx.sqlite.prepare(`select endpoint_id as id, sum(count) as n from relay_stats_hour where endpoint_id != '' group by endpoint_id`);
  const lastStmt = ctx.sqlite
    .prepare(`select received_at from relay_requests where id = (select max(id) from relay_requests indexed by relay_requests_endpoint where endpoint_id = ?)`)
    .pluck();
  const rulesStmt = ctx.sqlite.prepare(`select endpoint_id as id, count(*) as n from relay_rules where active = 1 group by endpoint_id`);
  async function endpointStats(ids: string[]): Promise<Map<string, { n: number; last: number | null; rules: number }>> {
    const counts = new Map((countStmt.all() as { id: string; n: number }[]).map((r) => [r.id, r.n]));
    const rules = new Map((rulesStmt.all() as { id: string; n: number }[]).map((r) => [r.id, r.n]));
    return new Map(ids.map((id) => [id, { n: counts.get(id) ?? 0, last: (lastStmt.get(id) as number | undefined) ?? null, rules: rules.get(id) ?? 0 }]));
  }

  async function endpoint(id: string): Promise<RelayEndpoint> {
    const row = await endpoints.row(id);
    return toEndpoint(row, await receiver.configuredBase(), (await endpointStats([id])).get(id));
  }

  async function replay(id: number, asked: 'forward' | 'pipeline' | undefined) {
    const r = await ctx.db.selectFrom('relay_requests').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new DossierError('not_found', `relay request ${id} not found`);
    if (!r.endpoint_id) throw new DossierError('invalid_input', `request ${id} did not reach an endpoint; there is nothing to replay it through`);
    const epRow = await ctx.db.selectFrom('relay_endpoints').selectAll().where('id', '=', r.endpoint_id).executeTakeFirst();
    if (!epRow) throw new DossierError('not_found', `the endpoint of request ${id} was deleted`);
    const target = asked ?? (epRow.forward_to ? 'forward' : 'pipeline');
    if (target === 'forward') {
      if (!epRow.forward_to) throw new DossierError('invalid_input', `endpoint "${epRow.slug}" has no forward-to URL`);
      const n = Number(
        (
          await ctx.db
            .selectFrom('relay_forwards')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('request_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
      const attempt = await forwardOnce(ctx, r as StoredRequest, epRow.forward_to, n + 1);
      await ctx.db
        .updateTable('relay_requests')
        .set({ forward_state: attempt.status !== null && attempt.status < 300 ? 'delivered' : 'failed' })
        .where('id', '=', id)
        .execute();
      actions.onUpdated(id);
      return { target: 'forward' as const, attempt };
    }
    // Back through verification (against the time it first arrived) and rules, as a new logged request.
    const ep = endpoints.live(epRow);
    const pairs = originalHeaders(r.headers, r.sealed_headers, ctx.secrets);
    const body = r.body ?? Buffer.alloc(0);
    const d = decide(ep, headerMap(pairs), body, r.received_at);
    const row: PendingRow = {
      endpointId: ep.id,
      slug: ep.slug,
      provider: ep.provider,
      receivedAt: ctx.clock.now(),
      t0: performance.now(),
      method: r.method,
      path: r.path,
      query: r.query,
      headers: r.headers,
      sealedHeaders: r.sealed_headers,
      body,
      sourceIp: r.source_ip,
      userAgent: r.user_agent,
      contentType: r.content_type,
      size: body.length,
      status: d.status,
      verification: d.verification,
      error: d.error,
      deliveryId: d.deliveryId,
      eventType: d.eventType,
      replayOf: id,
      accepted: d.accepted,
      jobs: d.jobs,
      event: d.event,
    };
    const logged = await writer.addAsync(row);
    return { target: 'pipeline' as const, request: logged.summary };
  }

  const handlers: HandlersOf<typeof relayMethods> = {
    async 'relay.endpoints.create'(input) {
      const { row, secret } = await endpoints.create(input);
      return { ...toEndpoint(row, await receiver.configuredBase()), secret };
    },
    async 'relay.endpoints.list'() {
      const [rows, base] = await Promise.all([endpoints.list(), receiver.configuredBase()]);
      const stats = await endpointStats(rows.map((r) => r.id));
      return rows.map((r) => toEndpoint(r, base, stats.get(r.id)));
    },
    async 'relay.endpoints.get'({ id }) {
      return endpoint(id);
    },
    async 'relay.endpoints.update'(input) {
      await endpoints.update(input);
      return endpoint(input.id);
    },
    async 'relay.endpoints.delete'({ id }) {
      await endpoints.delete(id);
      return { id, deleted: true as const };
    },
    async 'relay.endpoints.secret'({ id }) {
      return { secret: endpoints.secret(await endpoints.row(id)) };
    },
    async 'relay.rules.list'({ endpointId }) {
      await endpoints.row(endpointId);
      const rows = await ctx.db.selectFrom('relay_rules').selectAll().where('endpoint_id', '=', endpointId).orderBy('created_at').execute();
      return rows.map(toRule);
    },
    async 'relay.rules.create'(input) {
      await endpoints.row(input.endpointId);
      if (input.eventType === null && input.matchPath === null) {
        throw new DossierError('invalid_input', 'a rule needs an event type, a JSONPath match, or both');
      }
      for (const [name, path] of Object.entries({ matchPath: input.matchPath, ...input.inputs })) {
        const problem = path === null ? null : rulePathProblem(path);
        if (problem) throw new DossierError('invalid_input', `${name}: ${problem}`);
      }
      const inv = await ctx.db.selectFrom('investigations').select('id').where('id', '=', input.investigationId).executeTakeFirst();
      if (!inv) throw new DossierError('not_found', `investigation ${input.investigationId} not found`);
      // The template must exist now and every placeholder it uses must get a value from the body.
      const template = await findTemplate(ctx.db, input.template);
      const missing = templatePlaceholders(parseJson<TemplateStep[]>(template.steps, [])).filter((p) => !(p in input.inputs));
      if (missing.length) {
        throw new DossierError('invalid_input', `template "${input.template}" needs inputs for ${missing.map((m) => `{{${m}}}`).join(', ')}`);
      }
      const row = {
        id: newId('rrl'),
        endpoint_id: input.endpointId,
        name: input.name,
        event_type: input.eventType,
        match_path: input.matchPath,
        match_value: input.matchValue,
        template: input.template,
        investigation_id: input.investigationId,
        inputs: JSON.stringify(input.inputs),
        active: input.active ? 1 : 0,
        trusted: input.trusted ? 1 : 0,
        created_at: ctx.clock.now(),
      };
      await ctx.db.insertInto('relay_rules').values(row).execute();
      endpoints.invalidate();
      ctx.bus.emit('relay.endpoints.changed', { id: input.endpointId, kind: 'updated' });
      return toRule(row);
    },
    async 'relay.rules.delete'({ id }) {
      const row = await ctx.db.selectFrom('relay_rules').select(['id', 'endpoint_id']).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DossierError('not_found', `relay rule ${id} not found`);
      await ctx.db.deleteFrom('relay_rules').where('id', '=', id).execute();
      endpoints.invalidate();
      ctx.bus.emit('relay.endpoints.changed', { id: row.endpoint_id, kind: 'updated' });
      return { id, deleted: true as const };
    },
    async 'relay.requests.list'(input) {
      return listRequests(ctx, input);
    },
    async 'relay.requests.get'({ id }) {
      return getRequest(ctx, id);
    },
    async 'relay.replay'({ id, target, foreground }) {
      const out = await replay(id, target);
      // The actions of a pipeline replay run in the background; a foreground caller waits for them here.
      if (foreground && out.target === 'pipeline') await actions.drain();
      return out;
    },
    async 'relay.playground.send'(input) {
      return sendPlayground(input);
    },
    async 'relay.playground.curl'(input) {
      return { command: toCurl(input) };
    },
    async 'relay.analytics'({ window, endpointId }) {
      return analytics.analytics(window, ctx.clock.now(), endpointId);
    },
    async 'relay.status'() {
      return { ...receiver.status(), pendingActions: actions.pendingCount(), channels: await channels.states() };
    },
  };

  return {
    endpoints,
    writer,
    receiver,
    actions,
    channels,
    analytics,
    workers: [receiver, actions, channels, retention],
    handlers,
    useExecutor(get) {
      actions.starter = get;
    },
    replay,
    applyRetention: (now) => applyRetention(ctx, now),
  };
}
