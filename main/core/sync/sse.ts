import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseHandlers {
  /** Awaited: the next event is handed over only after this one is done (a slow consumer slows the reading, never reorders). */
  onEvent(e: EventSourceMessage): void | Promise<void>;
  onRetry?(ms: number): void;
  /** A `:` line: the server's heartbeat. */
  onComment?(text: string): void;
}

/**
 * Reads a text/event-stream body until it ends or `signal` aborts. The abort cancels the
 * reader itself: a fetch's own abort does not always wake a read that is already waiting.
 */
export async function readEventStream(body: ReadableStream<Uint8Array>, h: SseHandlers, signal?: AbortSignal): Promise<void> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e), onRetry: (ms) => h.onRetry?.(ms), onComment: (c) => h.onComment?.(c) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { value, done } = await reader.read();
      if (done || signal?.aborted) return;
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length) await h.onEvent(queue.shift()!);
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}
