import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;
// One randomFillSync per 1,024 ids instead of one per id: ids are minted on hot paths (relay, executor).
const pool = Buffer.alloc(4096);
let poolPos = pool.length;

function random8hex(): string {
  if (poolPos + 4 > pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const s = pool.toString('hex', poolPos, poolPos + 4);
  poolPos += 4;
  return s;
}

/**
 * Sortable ids: prefix + 12 hex chars of milliseconds + 4 of sequence + 8 random.
 * Sorting by id sorts by creation time, which keeps cursors and pages stable.
 */
export function newId(prefix: string): string {
  const now = Date.now();
  if (now === lastMs) seq = (seq + 1) & 0xffff;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${prefix}_${now.toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${random8hex()}`;
}
