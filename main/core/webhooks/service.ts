import type { CoreContext } from '../context.ts';
import type { HandlersOf } from '../../../preload/contract/define.ts';
import { DossierError } from '../../../preload/contract/errors.ts';
import { WEBHOOK_TIMEOUT_MS, webhookMethods, type DeliveryDetail, type Webhook } from '../../../preload/contract/webhooks.ts';
import { newId } from '../util/ids.ts';
import type { WebhookEngine } from './engine.ts';
import { toAttempt, toDelivery, toWebhook } from './mapping.ts';
import { generateSecret } from './delivery/signing.ts';
import { webhookStats } from './stats.ts';
import type { WebhooksTable } from './tables.ts';
import { SubscribedEvents } from '../events/subscriptions.ts';
import { compileFilter } from '../search/compile.ts';
import { mergeCustomHeaders, needsSealing, openCustomHeaders, sealCustomHeaders } from './custom-headers.ts';

export function createWebhookHandlers(ctx: CoreContext, engine: WebhookEngine): HandlersOf<typeof webhookMethods> {
  const { db, bus } = ctx;

  // Rows written before custom header values were sealed are sealed now, once, before anything reads them.
  for (const r of ctx.sqlite.prepare(`select id, headers from webhooks`).all() as { id: string; headers: string }[]) {
    if (needsSealing(r.headers)) {
      const clear = openCustomHeaders((x) => x, r.headers);
      ctx.sqlite.prepare(`update webhooks set headers = ? where id = ?`).run(sealCustomHeaders(ctx.secrets, clear), r.id);
    }
  }

  async function row(id: string): Promise<WebhooksTable> {
    const r = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw new DossierError('not_found', `webhook ${id} not found`);
    return r;
  }

  async function view(id: string): Promise<Webhook> {
    const r = await row(id);
    const stats = (await webhookStats(ctx.sqlite, [id])).get(id)!;
    return toWebhook(r, stats, ctx.clock.now());
  }

  function changed(id: string, kind: 'created' | 'updated' | 'deleted') {
    engine.invalidate();
    SubscribedEvents.for(ctx.sqlite).invalidate();
    bus.emit('webhooks.changed', { id, kind });
  }

  async function detail(id: string): Promise<DeliveryDetail> {
    const d = await db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!d) throw new DossierError('not_found', `delivery ${id} not found`);
    const attempts = await db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('seq', 'desc').limit(100).execute();
    return { ...toDelivery(d), payload: d.payload, attemptsLog: attempts.map(toAttempt) };
  }

  async function setActive(id: string, active: boolean): Promise<Webhook> {
    const now = ctx.clock.now();
    const res = await db
      .updateTable('webhooks')
      .set({ active: active ? 1 : 0, disabled_reason: null, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new DossierError('not_found', `webhook ${id} not found`);
    changed(id, 'updated');
    return view(id);
  }

  return {
    async 'webhooks.create'(input) {
      const now = ctx.clock.now();
      const secret = input.secret ?? generateSecret();
      const r: WebhooksTable = {
        id: newId('wh'),
        url: input.url,
        description: input.description ?? '',
        events: JSON.stringify(input.events),
        secret_sealed: ctx.secrets.encrypt(secret),
        previous_secret_sealed: null,
        previous_secret_expires_at: null,
        headers: sealCustomHeaders(ctx.secrets, input.headers ?? {}),
        active: input.active === false ? 0 : 1,
        allow_private_network: input.allowPrivateNetwork ? 1 : 0,
        timeout_ms: input.timeoutMs ?? WEBHOOK_TIMEOUT_MS.default,
        disabled_reason: null,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('webhooks').values(r).execute();
      changed(r.id, 'created');
      return { ...(await view(r.id)), secret };
    },

    async 'webhooks.list'() {
      const rows = await db.selectFrom('webhooks').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      const stats = await webhookStats(
        ctx.sqlite,
        rows.map((r) => r.id),
      );
      const now = ctx.clock.now();
      return rows.map((r) => toWebhook(r, stats.get(r.id)!, now));
    },

    async 'webhooks.get'({ id, recent }) {
      const w = await view(id);
      const ds = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('webhook_id', '=', id)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(recent)
        .execute();
      return { ...w, recentDeliveries: ds.map(toDelivery) };
    },

    async 'webhooks.update'(input) {
      const now = ctx.clock.now();
      const changes: Partial<WebhooksTable> = { updated_at: now };
      if (input.url !== undefined) changes.url = input.url;
      if (input.description !== undefined) changes.description = input.description;
      if (input.events !== undefined) changes.events = JSON.stringify(input.events);
      if (input.headers !== undefined) changes.headers = mergeCustomHeaders(ctx.secrets, (await row(input.id)).headers, input.headers);
      if (input.allowPrivateNetwork !== undefined) changes.allow_private_network = input.allowPrivateNetwork ? 1 : 0;
      if (input.timeoutMs !== undefined) changes.timeout_ms = input.timeoutMs;
      if (input.active !== undefined) {
        changes.active = input.active ? 1 : 0;
        changes.disabled_reason = null;
      }
      const res = await db.updateTable('webhooks').set(changes).where('id', '=', input.id).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new DossierError('not_found', `webhook ${input.id} not found`);
      changed(input.id, 'updated');
      return view(input.id);
    },

    async 'webhooks.delete'({ id }) {
      const res = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw new DossierError('not_found', `webhook ${id} not found`);
      changed(id, 'deleted');
      return { id, deleted: true as const };
    },

    'webhooks.enable': async ({ id }) => setActive(id, true),
    'webhooks.disable': async ({ id }) => setActive(id, false),

    async 'webhooks.rotateSecret'({ id, secret, graceHours }) {
      const now = ctx.clock.now();
      const current = await row(id);
      const next = secret ?? generateSecret();
      const grace = (graceHours ?? engine.config.get(now).rotationGraceHours) * 3_600_000;
      await db
        .updateTable('webhooks')
        .set({
          secret_sealed: ctx.secrets.encrypt(next),
          previous_secret_sealed: grace > 0 ? current.secret_sealed : null,
          previous_secret_expires_at: grace > 0 ? now + grace : null,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      changed(id, 'updated');
      return { ...(await view(id)), secret: next };
    },

    async 'webhooks.test'({ id }) {
      const w = await row(id);
      const rec = await engine.testDelivery(id, {
        message: 'Test delivery from Dossier',
        webhook: { id: w.id, url: w.url, description: w.description },
      });
      const d = await db.selectFrom('deliveries').selectAll().where('id', '=', rec.deliveryId).executeTakeFirstOrThrow();
      const o = rec.result.outcome;
      return {
        ok: o.kind === 'success',
        statusCode: rec.result.statusCode,
        durationMs: rec.result.durationMs,
        body: rec.result.responseBody,
        error: o.kind === 'success' ? null : o.error,
        delivery: toDelivery(d),
      };
    },

    async 'webhooks.deliveries.list'({ webhookId, status, event, filter, limit, offset }) {
      let q = db.selectFrom('deliveries').selectAll();
      let c = db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n'));
      if (filter) {
        const where = compileFilter('deliveries', filter);
        q = q.where(where);
        c = c.where(where);
      }
      if (webhookId) {
        q = q.where('webhook_id', '=', webhookId);
        c = c.where('webhook_id', '=', webhookId);
      }
      if (status) {
        q = q.where('status', '=', status);
        c = c.where('status', '=', status);
      }
      if (event) {
        q = q.where('event_type', '=', event);
        c = c.where('event_type', '=', event);
      }
      const [rows, count] = await Promise.all([
        q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
        c.executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toDelivery), total: Number(count.n), limit, offset };
    },

    'webhooks.deliveries.get': async ({ id }) => detail(id),

    async 'webhooks.deliveries.replay'({ id }) {
      const d = await db
        .selectFrom('deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select(['d.status', 'w.active', 'w.id as webhook_id'])
        .where('d.id', '=', id)
        .executeTakeFirst();
      if (!d) throw new DossierError('not_found', `delivery ${id} not found`);
      if (d.status === 'pending' || d.status === 'delivering') {
        throw new DossierError('conflict', `delivery ${id} is ${d.status}; it can be replayed once it has succeeded or failed`);
      }
      if (d.active !== 1) throw new DossierError('conflict', `webhook ${d.webhook_id} is disabled; enable it before replaying`);
      const rec = await engine.attemptNow('replay', id);
      if (!rec) throw new DossierError('conflict', `delivery ${id} is being delivered right now`);
      return detail(id);
    },
  };
}
