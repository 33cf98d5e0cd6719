import { describe, expect, it } from 'vitest';
import { idMinter, newId } from './ids.ts';

describe('newId', () => {
  it('is unique and sorts by creation order across many ids', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('x'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^x_[0-9a-f]{24}$/);
  });

  it('stays sorted past 65,536 ids in one millisecond', () => {
    const mint = idMinter(() => 1_000);
    const ids = Array.from({ length: 70_000 }, () => mint('x'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // The 65,537th id borrowed the next millisecond rather than wrapping to sequence 0 of the same one.
    expect(ids[65_536]!.slice(2, 14)).toBe((1_001).toString(16).padStart(12, '0'));
  });

  it('stays sorted when the clock steps back', () => {
    const times = [5_000, 5_001, 4_000, 4_000, 5_001, 6_000];
    let i = 0;
    const mint = idMinter(() => times[i++]!);
    const ids = times.map(() => mint('x'));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[5]!.slice(2, 14)).toBe((6_000).toString(16).padStart(12, '0'));
  });
});
