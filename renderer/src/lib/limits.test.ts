import { describe, expect, it } from 'vitest';
import { lengthError, lengthHint, maxLengthOf } from './limits.ts';

describe('limits', () => {
  it('reads the limit from the contract, through optional and default wrappers', () => {
    expect(maxLengthOf('investigations.create', 'name')).toBe(200);
    expect(maxLengthOf('investigations.create', 'description')).toBe(10_000);
    expect(maxLengthOf('templates.create', 'description')).toBe(4000);
    expect(() => maxLengthOf('templates.create', 'steps')).toThrow(/no maximum length/);
  });

  it('says the limit and the length once past it, and counts before it is reached', () => {
    expect(lengthError('x'.repeat(200), 200)).toBeUndefined();
    expect(lengthError('x'.repeat(231), 200)).toBe('At most 200 characters (this has 231)');
    expect(lengthHint('x'.repeat(100), 200)).toBeUndefined();
    expect(lengthHint('x'.repeat(170), 200)).toBe('170 / 200 characters');
  });
});
