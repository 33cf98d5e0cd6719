import type { Readable } from 'node:stream';

/**
 * The read deadlines of responses Dossier waits on for someone else (relay forward, playground). undici's
 * headersTimeout/bodyTimeout are idle timers: a server trickling a byte every few seconds would hold the request
 * (and a forward worker slot) forever; this is the whole request's budget, headers and body together.
 */
export const RESPONSE_DEADLINES = { forwardMs: 20_000, playgroundMs: 35_000 } as const;

export interface BoundedBody {
  bytes: Buffer;
  /** More than `cap` bytes were on offer; the rest was not read. */
  truncated: boolean;
}

/** Read at most `cap` bytes, then stop reading and drop the connection (a huge body costs neither time nor memory). */
export async function readBounded(body: Readable, cap: number): Promise<BoundedBody> {
  const chunks: Buffer[] = [];
  let n = 0;
  let truncated = false;
  for await (const c of body) {
    const chunk = c as Buffer;
    if (n + chunk.length > cap) {
      chunks.push(chunk.subarray(0, cap - n));
      n = cap;
      truncated = true;
      break;
    }
    chunks.push(chunk);
    n += chunk.length;
  }
  if (truncated) body.destroy();
  return { bytes: Buffer.concat(chunks, n), truncated };
}

/** An abort from the deadline signal reads as what it is. */
export function deadlineMessage(e: unknown, signal: AbortSignal, ms: number): string {
  if (signal.aborted) return `no complete response within the ${ms} ms deadline`;
  return (e as Error).message || String(e);
}
