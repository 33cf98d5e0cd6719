import { describe, expect, it } from 'vitest';
import { besideDrawing, placeNear, radialLayout, type Point } from './layout.ts';

function star(hub: string, n: number) {
  const ids = [hub, ...Array.from({ length: n }, (_, i) => `${hub}-${i}`)];
  return { ids, edges: ids.slice(1).map((t) => ({ source: hub, target: t })) };
}

function minDistance(points: Point[]): number {
  let best = Infinity;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      best = Math.min(best, Math.hypot(points[i]!.x - points[j]!.x, points[i]!.y - points[j]!.y));
    }
  }
  return best;
}

describe('radialLayout', () => {
  it('puts a hub in the middle of its ring of neighbours, all at one distance', () => {
    const { ids, edges } = star('hub', 12);
    const pos = radialLayout(ids, edges);
    const hub = pos.get('hub')!;
    const dists = ids.slice(1).map((id) => Math.hypot(pos.get(id)!.x - hub.x, pos.get(id)!.y - hub.y));
    expect(Math.max(...dists) - Math.min(...dists)).toBeLessThanOrEqual(2);
    expect(Math.min(...dists)).toBeGreaterThan(50);
  });

  it('places every node, none on top of another, and keeps components apart', () => {
    const a = star('a', 40);
    const b = star('b', 5);
    const loose = ['x', 'y', 'z'];
    const ids = [...a.ids, ...b.ids, ...loose];
    const pos = radialLayout(ids, [...a.edges, ...b.edges, { source: 'a-1', target: 'a-2' }]);
    expect(pos.size).toBe(ids.length);
    expect(minDistance([...pos.values()])).toBeGreaterThanOrEqual(30);
    // The nearest node of b to any node of a is further than a's own ring spacing.
    const far = Math.min(...a.ids.flatMap((p) => b.ids.map((q) => Math.hypot(pos.get(p)!.x - pos.get(q)!.x, pos.get(p)!.y - pos.get(q)!.y))));
    expect(far).toBeGreaterThan(60);
  });

  it('is deterministic and ignores edges to unknown nodes and self-loops', () => {
    const { ids, edges } = star('s', 8);
    const withJunk = [...edges, { source: 's', target: 'ghost' }, { source: 's-1', target: 's-1' }];
    expect([...radialLayout(ids, withJunk)]).toEqual([...radialLayout(ids, edges)]);
  });

  it('lays out 5,000 nodes and 10,000 edges with nodes kept apart', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const edges: Array<{ source: string; target: string }> = [];
    for (let i = 500; i < 5000; i++) edges.push({ source: `n${i % 500}`, target: `n${i}` });
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    while (edges.length < 10_000) edges.push({ source: `n${Math.floor(rnd() * 5000)}`, target: `n${Math.floor(rnd() * 5000)}` });
    const pos = radialLayout(ids, edges);
    expect(pos.size).toBe(5000);
    for (const p of pos.values()) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    // Spot-check spacing on a sample (the full O(n²) check is needlessly slow).
    const sample = [...pos.values()].filter((_, i) => i % 10 === 0);
    expect(minDistance(sample)).toBeGreaterThan(5);
  });
});

describe('placeNear', () => {
  it('puts a late node beside its neighbour, clear of the nodes around, the same place every time', () => {
    const anchor = { x: 100, y: 100 };
    const crowd = [anchor, ...Array.from({ length: 8 }, (_, k) => ({ x: 100 + 90 * Math.cos((k * Math.PI) / 4), y: 100 + 90 * Math.sin((k * Math.PI) / 4) }))];
    const p = placeNear(anchor, crowd, 'ent_1');
    for (const q of crowd) expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeGreaterThanOrEqual(40);
    expect(Math.hypot(p.x - 100, p.y - 100)).toBeLessThan(300);
    expect(placeNear(anchor, crowd, 'ent_1')).toEqual(p);
  });

  it('anchors a node with no neighbour on screen just right of the drawing', () => {
    const pts = [{ x: 0, y: 0 }, { x: 500, y: 200 }];
    expect(besideDrawing(pts)).toEqual({ x: 560, y: 100 });
    const p = placeNear(besideDrawing(pts), pts, 'x');
    expect(Math.hypot(p.x - 500, p.y - 200)).toBeGreaterThanOrEqual(40);
  });
});

describe('constellations', () => {
  it('keeps each hub’s leaves around it even when cross-links join everything into one component', () => {
    const hubs = ['h0', 'h1', 'h2', 'h3'];
    const ids = [...hubs];
    const edges: Array<{ source: string; target: string }> = [];
    for (const h of hubs) {
      for (let i = 0; i < 15; i++) {
        ids.push(`${h}-${i}`);
        edges.push({ source: h, target: `${h}-${i}` });
      }
    }
    // Leaf-to-leaf links across hubs: one component, but no leaf outranks a hub.
    for (let i = 0; i < 15; i++) edges.push({ source: `h${i % 4}-${i}`, target: `h${(i + 1) % 4}-${(i + 7) % 15}` });
    const pos = radialLayout(ids, edges);
    const dist = (a: string, b: string) => Math.hypot(pos.get(a)!.x - pos.get(b)!.x, pos.get(a)!.y - pos.get(b)!.y);
    for (const h of hubs) {
      for (let i = 0; i < 15; i++) {
        const own = dist(h, `${h}-${i}`);
        for (const other of hubs) if (other !== h) expect(own).toBeLessThan(dist(other, `${h}-${i}`));
      }
    }
  });

  it('fills a wide area with a wide drawing', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `n${i}`);
    const pos = [...radialLayout(ids, [], { aspect: 3 }).values()];
    const w = Math.max(...pos.map((p) => p.x)) - Math.min(...pos.map((p) => p.x));
    const h = Math.max(...pos.map((p) => p.y)) - Math.min(...pos.map((p) => p.y));
    expect(w / h).toBeGreaterThan(2);
  });
});
