import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('is unique and sorts by creation order across many ids', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('x'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^x_[0-9a-f]{24}$/);
  });
});
