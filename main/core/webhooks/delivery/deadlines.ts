/**
 * Request deadlines on one shared ticker. A timer per request
 * (AbortSignal.timeout) cost more CPU than signing the request; a check every
 * 50 ms over the few requests in flight is precise enough for a 1–30 s timeout.
 */
const RESOLUTION_MS = 50;

interface Entry {
  at: number;
  controller: AbortController;
}

const live = new Set<Entry>();
let ticker: NodeJS.Timeout | null = null;

function check(): void {
  const now = performance.now();
  for (const e of live) {
    if (now >= e.at) {
      live.delete(e);
      e.controller.abort(new DOMException('deadline exceeded', 'TimeoutError'));
    }
  }
  if (live.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = null;
  }
}

export interface Deadline {
  signal: AbortSignal;
  /** Call when the request ended, so the entry is dropped. */
  clear(): void;
}

export function deadline(ms: number): Deadline {
  const e: Entry = { at: performance.now() + ms, controller: new AbortController() };
  live.add(e);
  if (!ticker) {
    ticker = setInterval(check, RESOLUTION_MS);
    ticker.unref();
  }
  return { signal: e.controller.signal, clear: () => live.delete(e) };
}
