import type { BatchStatus } from '../../../preload/contract/batches.ts';
import type { CoreContext } from '../context.ts';
import type { LiveBatch } from './live.ts';

const PROGRESS_INTERVAL_MS = 100;
const RATE_WINDOW_MS = 10_000;

/**
 * `batch.progress` events for the batches an executor runs: at most one per
 * batch every 100 ms (a trailing one catches the last change), with a rate
 * and ETA over the last 10 s.
 */
export class ProgressReporter {
  constructor(
    private readonly ctx: CoreContext,
    /** The trailing event is sent only while the batch is still run here. */
    private readonly isLive: (b: LiveBatch) => boolean,
  ) {}

  emit(b: LiveBatch, force: boolean, status?: BatchStatus): void {
    const now = this.ctx.clock.now();
    const p = b.progress;
    if (!force && now - p.lastEmit < PROGRESS_INTERVAL_MS) {
      p.timer ??= setTimeout(
        () => {
          p.timer = null;
          if (this.isLive(b)) this.emit(b, true);
        },
        PROGRESS_INTERVAL_MS - (now - p.lastEmit),
      );
      return;
    }
    if (p.timer) {
      clearTimeout(p.timer);
      p.timer = null;
    }
    p.lastEmit = now;
    const c = b.counts;
    const done = c.completed + c.failed + c.cancelled;
    p.samples.push({ t: now, done });
    while (p.samples.length > 2 && now - p.samples[0]!.t > RATE_WINDOW_MS) p.samples.shift();
    const first = p.samples[0]!;
    const span = now - first.t;
    const rate = span >= 200 ? ((done - first.done) / span) * 1000 : 0;
    const remaining = c.total - done;
    const running = Math.min(b.inflight.size, remaining);
    this.ctx.bus.emit('batch.progress', {
      batchId: b.id,
      investigationId: b.investigationId,
      status: status ?? b.status,
      counts: { total: c.total, pending: remaining - running, running, completed: c.completed, failed: c.failed, cancelled: c.cancelled },
      ratePerSecond: Math.round(rate * 10) / 10,
      etaMs: remaining === 0 ? 0 : rate > 0 ? Math.round((remaining / rate) * 1000) : null,
    });
  }

  /** Forget a pending trailing event (the batch is dropped). */
  cancel(b: LiveBatch): void {
    if (b.progress.timer) clearTimeout(b.progress.timer);
    b.progress.timer = null;
  }
}
