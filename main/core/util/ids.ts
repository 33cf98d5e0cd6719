import { randomFillSync } from 'node:crypto';

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

const SEQ_MAX = 0xffff;

/**
 * A minter of sortable ids: prefix + 12 hex chars of milliseconds + 4 of sequence + 8 random.
 * Sorting by id sorts by creation order, which keeps cursors and pages stable. The time part never
 * goes backwards: when the clock steps back, or more than 65,536 ids are minted in one millisecond,
 * ids borrow the next millisecond instead of wrapping (a wrapped sequence would sort before older ids).
 */
export function idMinter(clock: () => number = Date.now): (prefix: string) => string {
  let lastMs = 0;
  let seq = 0;
  return (prefix) => {
    const now = clock();
    if (now > lastMs) {
      lastMs = now;
      seq = 0;
    } else if (seq < SEQ_MAX) {
      seq += 1;
    } else {
      lastMs += 1;
      seq = 0;
    }
    return `${prefix}_${lastMs.toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${random8hex()}`;
  };
}

/** The process's one minter on the wall clock. */
export const newId = idMinter();
