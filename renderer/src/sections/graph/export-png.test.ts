import { describe, expect, it } from 'vitest';
import { EXPORT_MAX_SCALE, EXPORT_MIN_WIDTH, exportScale, exportSize } from './export-png.ts';

describe('PNG export size', () => {
  it('exports at least EXPORT_MIN_WIDTH wide, keeping the box’s shape, not at the window’s size', () => {
    const s = exportSize(1000, 600, 1);
    expect(s.width).toBeGreaterThanOrEqual(EXPORT_MIN_WIDTH);
    expect(s.width / s.height).toBeCloseTo(1000 / 600, 2);
  });

  it('never goes below the screen’s own density, nor past the safe canvas scale', () => {
    expect(exportScale(3000, 2)).toBe(2);
    expect(exportScale(100, 1)).toBe(EXPORT_MAX_SCALE);
    expect(exportScale(0, 0)).toBe(1);
  });
});
