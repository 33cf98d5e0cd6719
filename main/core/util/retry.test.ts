import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, withJitter } from './retry.ts';

describe('retry timing', () => {
  it('parses Retry-After as seconds (also fractional) or an HTTP date; anything else is null', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter(['7', '9'], now)).toBe(7000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('spreads a delay over ±jitter with the injected random source', () => {
    expect(withJitter(10_000, 0.2, () => 0)).toBe(8000);
    expect(withJitter(10_000, 0.2, () => 0.5)).toBe(10_000);
    expect(withJitter(10_000, 0.2, () => 0.9999999)).toBe(12_000);
    expect(withJitter(10_000, 0, () => 0.3)).toBe(10_000);
  });

  it('doubles from the first delay up to the cap', () => {
    const b = { firstMs: 1000, capMs: 5000, jitter: 0 };
    expect([1, 2, 3, 4, 9].map((n) => backoffDelay(b, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay({ ...b, jitter: 0.2 }, 2, () => 0)).toBe(1600);
  });
});
