import type SQLite from 'better-sqlite3';
import { SETTINGS } from '../../../preload/contract/settings.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './delivery/schedule.ts';

export interface DeliveryConfig {
  policy: RetryPolicy;
  concurrencyPerWebhook: number;
  rotationGraceHours: number;
}

const KEYS = ['webhooks.retrySchedule', 'webhooks.retryJitter', 'webhooks.concurrencyPerWebhook', 'webhooks.rotationGraceHours'] as const;

/**
 * The delivery settings, read synchronously for the worker's hot path and
 * cached briefly (another process, e.g. `dossier config set`, may change them).
 */
export class ConfigCache {
  private value: DeliveryConfig | null = null;
  private readAt = 0;
  private readonly stmt: SQLite.Statement<[], { key: string; value: string }>;

  constructor(
    sqlite: SQLite.Database,
    private readonly ttlMs = 1000,
  ) {
    this.stmt = sqlite.prepare(`select key, value from settings where key in (${KEYS.map((k) => `'${k}'`).join(',')})`);
  }

  get(now = Date.now()): DeliveryConfig {
    if (this.value && now - this.readAt < this.ttlMs) return this.value;
    const stored = new Map(this.stmt.all().map((r) => [r.key, r.value]));
    const read = <K extends (typeof KEYS)[number]>(k: K) => {
      const raw = stored.get(k);
      if (raw === undefined) return SETTINGS[k].default;
      const parsed = SETTINGS[k].schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : SETTINGS[k].default;
    };
    this.value = {
      policy: { ...DEFAULT_RETRY_POLICY, delaysMs: read('webhooks.retrySchedule') as number[], jitter: read('webhooks.retryJitter') as number },
      concurrencyPerWebhook: read('webhooks.concurrencyPerWebhook') as number,
      rotationGraceHours: read('webhooks.rotationGraceHours') as number,
    };
    this.readAt = now;
    return this.value;
  }

  invalidate(): void {
    this.value = null;
  }
}
