import type { CoreContext } from '../context.ts';
import type { BackgroundWorker } from '../workers.ts';
import type { SyncEngine } from './engine.ts';

export interface SyncWorkerOptions {
  /** How often to sync while connected (SPEC: every minute). */
  intervalMs?: number;
  /** How long to wait after a local change before pushing it (coalesces bursts of edits). */
  debounceMs?: number;
}

/**
 * Background sync while a Dossier process with workers runs (the app, `serve`,
 * `relay start`): every minute, and soon after a shared template changes here.
 * Failures are recorded on the link (Settings → Team shows them), never thrown.
 */
export class SyncWorker implements BackgroundWorker {
  readonly name = 'sync';
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  private readonly intervalMs: number;
  private readonly debounceMs: number;

  constructor(
    private readonly ctx: CoreContext,
    private readonly engine: SyncEngine,
    opts: SyncWorkerOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 60_000;
    this.debounceMs = opts.debounceMs ?? 1_000;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    // A local edit of a shared template (queued in the outbox) or a fresh connection.
    const offTemplates = this.ctx.bus.on('templates.changed', () => this.schedule());
    const offLink = this.ctx.bus.on('sync.changed', (p) => p.kind === 'connected' && this.schedule());
    this.unsubscribe = () => {
      offTemplates();
      offLink();
    };
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.tick(true);
    }, this.debounceMs);
    this.soon.unref();
  }

  private async tick(onlyIfPending = false): Promise<void> {
    if (this.stopped) return;
    try {
      if (!(await this.engine.link())) return;
      if (onlyIfPending && (await this.engine.pendingCount()) === 0 && (await this.engine.link())?.last_sync_at) return;
      await this.engine.syncNow();
    } catch (e) {
      this.ctx.log.debug({ err: (e as Error).message }, 'background sync failed; retrying at the next interval');
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
