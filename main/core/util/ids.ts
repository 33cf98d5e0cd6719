import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

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
  return `${prefix}_${now.toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${randomBytes(4).toString('hex')}`;
}
