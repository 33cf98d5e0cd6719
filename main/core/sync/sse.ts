import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseHandlers {
  /** Awaited: the next event is handed over only after this one is done (a slow consumer slows the reading, never reorders). */
  onEvent(e: EventSourceMessage): void | Promise<void>;
  onRetry?(ms: number): void;
  /** A `:` line: the server's heartbeat. */
  onComment?(text: string): void;
}

/** Reads a text/event-stream body until it ends or the reader is cancelled (its abort signal). */
export async function readEventStream(body: ReadableStream<Uint8Array>, h: SseHandlers): Promise<void> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e), onRetry: (ms) => h.onRetry?.(ms), onComment: (c) => h.onComment?.(c) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length) await h.onEvent(queue.shift()!);
    }
  } finally {
    reader.releaseLock();
  }
}
