import { describe, expect, it } from 'vitest';
import { ENTITY_COLORS, entityColor } from './entity-colors.ts';

/** CIE76 colour difference in L*a*b* (D65): above ~20 two dots read as different colours at a glance. */
function deltaE(a: string, b: string): number {
  const lab = (hex: string) => {
    const v = parseInt(hex.slice(1), 16);
    const [r, g, bl] = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((x) => {
      const c = x / 255;
      return c > 0.04045 ? ((c + 0.055) / 1.055) ** 2.4 : c / 12.92;
    }) as [number, number, number];
    const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
    const x = f((r * 0.4124 + g * 0.3576 + bl * 0.1805) / 0.95047);
    const y = f(r * 0.2126 + g * 0.7152 + bl * 0.0722);
    const z = f((r * 0.0193 + g * 0.1192 + bl * 0.9505) / 1.08883);
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)] as const;
  };
  const p = lab(a);
  const q = lab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

describe('entity colours', () => {
  it('keeps the SPEC §3.7 colours for the named types', () => {
    expect(ENTITY_COLORS).toMatchObject({ username: '#3b82f6', email: '#10b981', domain: '#8b5cf6', phone: '#f59e0b', image: '#ec4899', other: '#6b7280' });
  });

  it('draws username and account far apart (an account is not a username)', () => {
    expect(deltaE(ENTITY_COLORS.username, ENTITY_COLORS.account)).toBeGreaterThan(40);
  });

  it('gives every type a colour distinct from every other', () => {
    const entries = Object.entries(ENTITY_COLORS);
    expect(new Set(entries.map(([, c]) => c)).size).toBe(entries.length);
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        expect(deltaE(entries[i]![1], entries[j]![1]), `${entries[i]![0]} vs ${entries[j]![0]}`).toBeGreaterThan(20);
      }
    }
    expect(entityColor('nonsense')).toBe(ENTITY_COLORS.other);
  });
});
