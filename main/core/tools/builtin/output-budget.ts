/**
 * The bytes of command output held in memory at once, across every concurrent run. A per-run cap alone
 * (maxOutputBytes, up to 256 MiB) times the executor's concurrency (up to hundreds) would allow gigabytes; this
 * budget bounds the whole process whatever the concurrency. A run that cannot get room fails transient (it is
 * retried when others have finished) rather than pushing the process out of memory.
 */
export const COMMAND_OUTPUT_BUDGET_BYTES = 512 * 1024 * 1024;

export class OutputBudget {
  private used = 0;
  constructor(readonly total: number) {}

  /** Takes `n` bytes if they fit; false (nothing taken) if they do not. */
  take(n: number): boolean {
    if (this.used + n > this.total) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  get inUse(): number {
    return this.used;
  }
}

export const commandOutputBudget = new OutputBudget(COMMAND_OUTPUT_BUDGET_BYTES);
