import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Text written to a file in 64 KiB chunks, waiting for the disk when the
 * stream's buffer is full: an exporter's memory stays flat however many rows
 * it writes. `bytes` counts what was written (UTF-8).
 */
export class FileSink {
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  private readonly out: WriteStream;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
  }

  /** Returns a promise only when it had to flush, so a hot loop can skip the await. */
  write(s: string): Promise<void> | undefined {
    this.parts.push(s);
    this.pending += s.length;
    return this.pending >= 1 << 16 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<number> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
    return this.bytes;
  }

  /** On failure: close without waiting for anything more to be written. */
  destroy(): void {
    this.parts = [];
    this.out.destroy();
  }
}
