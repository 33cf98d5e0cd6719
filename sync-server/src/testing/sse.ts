import type { EventSourceMessage } from 'eventsource-parser';
import { readEventStream } from '../../../main/core/sync/sse.ts';

export interface TestStream {
  status: number;
  headers: Headers;
  /** Waits until `n` events have arrived in all (or the stream ends), then returns all of them. */
  take(n: number): Promise<EventSourceMessage[]>;
  /** Waits for the next `:` heartbeat. */
  heartbeat(): Promise<void>;
  retry: number | null;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** An SSE client for tests: every event is kept; waiters are woken as events arrive (no polling, no sleeps). */
export async function openTestStream(url: string, token: string, lastEventId?: string): Promise<TestStream> {
  const ac = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const res = await fetch(url, { headers, signal: ac.signal });
  const events: EventSourceMessage[] = [];
  let waiters: (() => void)[] = [];
  let beats: (() => void)[] = [];
  let done = false;
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const out: TestStream = {
    status: res.status,
    headers: res.headers,
    retry: null,
    ended: Promise.resolve(),
    async take(n) {
      while (events.length < n && !done) await new Promise<void>((r) => waiters.push(r));
      return events.slice();
    },
    heartbeat: () => new Promise<void>((r) => beats.push(r)),
    close: () => ac.abort(),
  };
  out.ended =
    !res.ok || !res.body
      ? Promise.resolve()
      : readEventStream(res.body, {
          onEvent: (e) => {
            events.push(e);
            wake();
          },
          onRetry: (ms) => (out.retry = ms),
          onComment: () => {
            const b = beats;
            beats = [];
            for (const f of b) f();
          },
        })
          .catch(() => undefined)
          .finally(() => {
            done = true;
            wake();
          });
  return out;
}
