import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Text gathered before it is encoded and handed to the file. */
const CHUNK_CHARS = 1 << 18;
/** Bytes the file stream may hold before the exporter waits for the disk. */
const HIGH_WATER = 4 << 20;

/**
 * Text written to a file in chunks of about 256 KiB, waiting for the disk
 * only when 4 MiB are still queued: an exporter's memory stays flat however
 * many rows it writes, and it does not wait on a thread-pool round trip for
 * every chunk (which, on a busy machine, cost more than making the rows).
 * Each flush lets the event loop run once, so a long export does not stall the
 * app's other work. `bytes` counts what was written (UTF-8).
 */
export class FileSink {
  private buf = '';
  bytes = 0;
  private readonly out: WriteStream;
  private error: Error | null = null;

  constructor(readonly path: string) {
    this.out = createWriteStream(path, { highWaterMark: HIGH_WATER });
    this.out.on('error', (e) => (this.error = e));
  }

  /** Returns a promise only when it had to flush, so a hot loop can skip the await. */
  write(s: string): Promise<void> | undefined {
    this.buf += s;
    return this.buf.length >= CHUNK_CHARS ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.error) throw this.error;
    if (this.buf.length === 0) return;
    const chunk = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
    else await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.error) throw this.error;
  }

  async close(): Promise<number> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
    return this.bytes;
  }

  /** On failure: close without waiting for anything more to be written. */
  destroy(): void {
    this.buf = '';
    this.out.destroy();
  }
}
