import type { EventBus } from '../events/bus.ts';

/** Progress of a long export or import on the event bus, at most ~10 events a second (and always the last). */
export class Progress {
  done = 0;
  private last = 0;

  constructor(
    private readonly bus: EventBus,
    private readonly info: { jobId: string; investigationId: string | null; kind: 'export' | 'import'; format: string },
    public total: number,
  ) {}

  tick(n = 1): void {
    this.done += n;
    // Looking at the clock every row would cost more than the rows.
    if ((this.done & 1023) !== 0) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.emit();
  }

  finish(): void {
    this.done = Math.max(this.done, this.total);
    this.emit();
  }

  private emit(): void {
    this.bus.emit('report.progress', { ...this.info, done: this.done, total: this.total });
  }
}
