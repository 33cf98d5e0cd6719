import { describe, expect, it } from 'vitest';
import { COLORS, statusColors } from './charts.ts';

describe('statusColors', () => {
  it('gives every status its own colour, keeping the class hue first', () => {
    const c = statusColors([404, 200, 201, 429, 500, 302, 400, 503]);
    expect(new Set(c.values()).size).toBe(8);
    expect(c.get(200)).toBe(COLORS.ok);
    expect(c.get(500)).toBe(COLORS.failed);
    expect(c.get(400)).toBe(COLORS.running);
    expect(c.get(302)).toBe(COLORS.pending);
  });

  it('is the same for a code whatever order the codes come in', () => {
    expect(statusColors([201, 200]).get(201)).toBe(statusColors([200, 201]).get(201));
  });
});
