import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

const INTERVAL_MS = 250;
const SAFETY_NET_PAGES = 20_000;

/**
 * Checkpoints the WAL from a worker thread (its own connection) instead of on
 * the commit that crosses the autocheckpoint threshold. A checkpoint copies
 * pages back and fsyncs; on the receiver's event loop that is a stall every
 * few hundred commits, which is exactly what a p99 sees (P4). PASSIVE
 * checkpoints run beside the writer in WAL mode and never block it.
 */
export class BackgroundCheckpointer {
  private worker: Worker | null = null;
  private previous: number | null = null;

  constructor(private readonly sqlite: SQLite.Database) {}

  start(): void {
    if (this.worker || this.sqlite.memory) return;
    const file = this.sqlite.name;
    this.previous = Number(this.sqlite.pragma('wal_autocheckpoint', { simple: true }));
    this.worker = new Worker(
      `
      const { workerData, parentPort } = require('node:worker_threads');
      const Database = require(workerData.module);
      const db = new Database(workerData.file);
      db.pragma('busy_timeout = 1000');
      const t = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.interval);
      parentPort.on('message', () => { clearInterval(t); try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} db.close(); parentPort.close(); });
      `,
      { eval: true, workerData: { file, interval: INTERVAL_MS, module: createRequire(import.meta.url).resolve('better-sqlite3') } },
    );
    this.worker.unref();
    // If the thread dies, fall back to the connection's own checkpoints.
    this.worker.once('error', () => this.restore());
    this.worker.once('exit', () => this.restore());
    // Not 0: should the thread fall behind, the connection still checkpoints itself, just rarely.
    this.sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  }

  async stop(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.postMessage('stop');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    await w.terminate();
    this.restore();
  }

  private restore(): void {
    this.worker = null;
    if (this.previous !== null && this.sqlite.open) this.sqlite.pragma(`wal_autocheckpoint = ${this.previous}`);
    this.previous = null;
  }
}
