import type { BatchSummary } from '../../../preload/contract/batches.ts';
import type { Executor } from './executor.ts';

/**
 * Run a batch in this process until it ends (`batches.runHere`, the CLI's `batch run`). An abort of
 * `signal` (Ctrl-C) pauses the batch, so no other process picks it up, and stops the executor:
 * runs in flight go back to pending, the lease is let go, and `batch resume` continues it.
 * The executor is stopped at the end unless it runs in worker mode, so the process can exit.
 */
export async function runInForeground(ex: Executor, id: string, signal?: AbortSignal): Promise<{ summary: BatchSummary; interrupted: boolean }> {
  let interrupted = false;
  let pausing: Promise<void> = Promise.resolve();
  const onAbort = () => {
    interrupted = true;
    pausing = ex
      .pause(id)
      .catch(() => {}) // already finished: nothing to pause
      .then(() => ex.stop());
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const running = interrupted ? false : await ex.adopt(id);
    const summary = running ? await ex.waitFor(id) : ex.summary(id);
    await pausing;
    return { summary: interrupted ? ex.summary(id) : summary, interrupted };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!ex.workerMode) await ex.stop();
  }
}
