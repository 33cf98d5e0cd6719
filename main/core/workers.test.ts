import { afterEach, describe, expect, it, vi } from 'vitest';
import { intervalWorker } from './workers.ts';

afterEach(() => vi.useRealTimers());

describe('intervalWorker', () => {
  it('ticks at start and every period until stopped, and logs failures instead of throwing', async () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const log = { error: (o: object, msg: string) => errors.push(`${msg}: ${(o as { err: string }).err}`) };
    let n = 0;
    const w = intervalWorker('test.sweep', 1000, () => {
      n++;
      if (n === 2) throw new Error('sync boom');
      if (n === 3) return Promise.reject(new Error('async boom'));
      return undefined;
    }, log);
    w.start();
    expect(n).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(n).toBe(3);
    expect(errors).toEqual(['test.sweep failed: sync boom', 'test.sweep failed: async boom']);
    w.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(n).toBe(3);
  });
});
