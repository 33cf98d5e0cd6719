import type { Db } from '../db/dialect.ts';
import type { TeamWebhooksTable } from '../db/tables.ts';
import { signingKey, type SigningKey } from '../../../main/core/webhooks/delivery/signing.ts';

/** A team webhook as the worker sends with it: parsed, its signing key prepared. */
export interface SendingWebhook {
  id: string;
  url: string;
  active: boolean;
  timeoutMs: number;
  headers: Record<string, string>;
  key: SigningKey;
}

const TTL_MS = 1000;

/** Webhooks by id, read when first needed and again after a second (another instance may have changed them). */
export class WebhookCache {
  private readonly byId = new Map<string, { hook: SendingWebhook; at: number }>();

  constructor(private readonly db: Db) {}

  async get(ids: Iterable<string>, now: number): Promise<Map<string, SendingWebhook>> {
    const out = new Map<string, SendingWebhook>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const c = this.byId.get(id);
      if (c && now - c.at < TTL_MS) out.set(id, c.hook);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = await this.db.selectFrom('team_webhooks').selectAll().where('id', 'in', missing).execute();
      for (const r of rows) {
        const hook = toSending(r);
        this.byId.set(r.id, { hook, at: now });
        out.set(r.id, hook);
      }
    }
    return out;
  }

  forget(id?: string): void {
    if (id) this.byId.delete(id);
    else this.byId.clear();
  }
}

export function toSending(r: TeamWebhooksTable): SendingWebhook {
  return {
    id: r.id,
    url: r.url,
    active: Number(r.active) === 1,
    timeoutMs: Number(r.timeout_ms),
    headers: JSON.parse(r.headers) as Record<string, string>,
    key: signingKey(r.secret),
  };
}
