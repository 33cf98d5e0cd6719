/**
 * A fast, deterministic starting layout: the graph is split into
 * constellations (each node hangs off its best-connected neighbour), each is
 * drawn as a radial tree around its hub, and they are packed in rows,
 * biggest first. It runs in linear time (plus a sort), so a
 * 5,000-node graph is placed in milliseconds, where vis-network's physics
 * would need many seconds; small graphs still get physics, seeded from here.
 */
export interface Point {
  x: number;
  y: number;
}

export interface LayoutOptions {
  /** Least distance between two nodes on the same ring, px. */
  spacing?: number;
  /** Distance between consecutive rings, px. */
  ringGap?: number;
  /** Space left between packed components, px. */
  margin?: number;
  /** Width over height of the area the drawing should fill. */
  aspect?: number;
}

/** Sub-rings a crowded ring may be split into, and the distance between them. */
const MAX_BANDS = 6;
const BAND_GAP = 30;

export function radialLayout(
  nodeIds: readonly string[],
  edges: ReadonlyArray<{ source: string; target: string }>,
  opts: LayoutOptions = {},
): Map<string, Point> {
  const spacing = opts.spacing ?? 34;
  const ringGap = opts.ringGap ?? 110;
  const margin = opts.margin ?? 70;
  const aspect = Math.min(4, Math.max(0.25, opts.aspect ?? 1.6));
  const n = nodeIds.length;
  const out = new Map<string, Point>();
  if (n === 0) return out;

  const index = new Map<string, number>();
  nodeIds.forEach((id, i) => index.set(id, i));

  const degree = new Int32Array(n);
  const pairs: number[] = [];
  for (const e of edges) {
    const a = index.get(e.source);
    const b = index.get(e.target);
    if (a === undefined || b === undefined || a === b) continue;
    pairs.push(a, b);
    degree[a]!++;
    degree[b]!++;
  }
  const all = compressedRows(n, pairs);

  /*
   * Each node hangs off its best-connected neighbour when that neighbour has
   * more links than itself (ties broken by order, so the relation has no
   * cycles). The result is a forest of "constellations": a hub, the nodes
   * around it, theirs around them. Laying out that forest instead of the raw
   * graph keeps a username's accounts around the username even when random
   * cross-links join everything into one component.
   */
  const outranks = (w: number, v: number) => degree[w]! > degree[v]! || (degree[w] === degree[v] && w < v);
  const forest: number[] = [];
  for (let v = 0; v < n; v++) {
    let best = -1;
    for (let k = all.start[v]!; k < all.start[v + 1]!; k++) {
      const w = all.adj[k]!;
      if (outranks(w, v) && (best === -1 || outranks(w, best))) best = w;
    }
    if (best !== -1) forest.push(best, v);
  }
  const { start, adj } = compressedRows(n, forest);

  // Roots in order of degree, so each component grows from its hub.
  const byDegree = Array.from({ length: n }, (_, i) => i).sort((a, b) => degree[b]! - degree[a]! || a - b);
  const parent = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n).fill(-1);
  const angle = new Float64Array(n);
  const leaves = new Float64Array(n);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const comps: Array<{ members: Int32Array; radius: number }> = [];

  for (const root of byDegree) {
    if (depth[root] !== -1) continue;
    // Breadth-first tree; `order` lists the component with parents before children.
    const order: number[] = [root];
    depth[root] = 0;
    for (let h = 0; h < order.length; h++) {
      const v = order[h]!;
      for (let k = start[v]!; k < start[v + 1]!; k++) {
        const w = adj[k]!;
        if (depth[w] !== -1) continue;
        depth[w] = depth[v]! + 1;
        parent[w] = v;
        order.push(w);
      }
    }
    // Leaf counts bottom-up: a subtree's share of the circle.
    for (let h = order.length - 1; h >= 0; h--) {
      const v = order[h]!;
      if (leaves[v] === 0) leaves[v] = 1;
      const up = parent[v]!;
      if (up !== -1) leaves[up] = leaves[up]! + leaves[v]!;
    }
    // Each child takes a slice of its parent's sector in proportion to its leaves.
    const sectorStart = new Float64Array(order.length);
    const sectorWidth = new Float64Array(order.length);
    const pos = new Map<number, number>();
    order.forEach((v, h) => pos.set(v, h));
    sectorWidth[0] = Math.PI * 2;
    const cursor = new Float64Array(order.length);
    for (let h = 0; h < order.length; h++) {
      const v = order[h]!;
      if (h > 0) {
        const p = pos.get(parent[v]!)!;
        // A parent's leaf count is the sum of its children's, so the slices fill its sector exactly.
        const width = (sectorWidth[p]! * leaves[v]!) / leaves[parent[v]!]!;
        sectorStart[h] = sectorStart[p]! + cursor[p]!;
        sectorWidth[h] = width;
        cursor[p] = cursor[p]! + width;
      }
      angle[v] = sectorStart[h]! + sectorWidth[h]! / 2;
    }
    // Ring radii: far enough out that the two closest nodes on a ring are `spacing` apart.
    // A crowded ring (a hub with hundreds of accounts) would need a huge radius;
    // it is split into up to MAX_BANDS staggered sub-rings instead, a thick
    // band that needs a fraction of the radius.
    const rings: number[][] = [];
    for (const v of order) (rings[depth[v]!] ??= []).push(v);
    const radius: number[] = [0];
    const band = new Int32Array(order.length);
    let outer = 0;
    for (let d = 1; d < rings.length; d++) {
      const ring = rings[d]!.sort((x, y) => angle[x]! - angle[y]!);
      let minGap = Math.PI * 2;
      for (let k = 1; k < ring.length; k++) minGap = Math.min(minGap, angle[ring[k]!]! - angle[ring[k - 1]!]!);
      if (ring.length > 1) minGap = Math.min(minGap, Math.PI * 2 - (angle[ring[ring.length - 1]!]! - angle[ring[0]!]!));
      const needed = ring.length > 1 ? spacing / (2 * Math.sin(Math.min(minGap, Math.PI) / 2)) : 0;
      const base = outer + ringGap;
      const k = needed > base ? Math.min(MAX_BANDS, Math.ceil(needed / base)) : 1;
      radius[d] = Math.max(base, needed / k);
      ring.forEach((v, j) => (band[pos.get(v)!] = j % k));
      outer = radius[d]! + (k - 1) * BAND_GAP;
    }
    for (const v of order) {
      const r = radius[depth[v]!]! + band[pos.get(v)!]! * BAND_GAP;
      xs[v] = r * Math.cos(angle[v]!);
      ys[v] = r * Math.sin(angle[v]!);
    }
    comps.push({ members: Int32Array.from(order), radius: outer });
  }

  // Shelf packing in rows, biggest first. Mixed sizes leave gaps, so the row
  // width is corrected a few times until the drawing has the area's shape.
  let area = 0;
  for (const c of comps) area += (2 * c.radius + margin) ** 2;
  const widest = 2 * (comps[0]?.radius ?? 0) + margin;
  let rowWidth = Math.max(Math.sqrt(area * aspect), widest);
  let packed = pack(rowWidth);
  for (let round = 0; round < 4 && comps.length > 1; round++) {
    const shape = packed.width / Math.max(1, packed.height);
    if (Math.abs(Math.log(shape / aspect)) < 0.1) break;
    rowWidth = Math.max(widest, rowWidth * Math.sqrt(aspect / shape));
    packed = pack(rowWidth);
  }
  const { placed, width: totalWidth, height: totalHeight } = packed;
  comps.forEach((c, i) => {
    const { cx, cy } = placed[i]!;
    for (const v of c.members) {
      out.set(nodeIds[v]!, { x: Math.round(cx + xs[v]! - totalWidth / 2), y: Math.round(cy + ys[v]! - totalHeight / 2) });
    }
  });
  return out;

  function pack(limit: number): { placed: Array<{ cx: number; cy: number }>; width: number; height: number } {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    let width = 0;
    const placed: Array<{ cx: number; cy: number }> = [];
    for (const c of comps) {
      const size = 2 * c.radius + margin;
      if (x > 0 && x + size > limit) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      placed.push({ cx: x + size / 2, cy: y + size / 2 });
      x += size;
      width = Math.max(width, x);
      rowHeight = Math.max(rowHeight, size);
    }
    return { placed, width, height: y + rowHeight };
  }
}

/** Undirected adjacency in compressed rows: two passes over the pairs, no per-node arrays. */
function compressedRows(n: number, pairs: number[]): { start: Int32Array; adj: Int32Array } {
  const count = new Int32Array(n);
  for (const v of pairs) count[v]!++;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + count[i]!;
  const fill = start.slice(0, n);
  const adj = new Int32Array(pairs.length);
  for (let k = 0; k < pairs.length; k += 2) {
    const a = pairs[k]!;
    const b = pairs[k + 1]!;
    adj[fill[a]!++] = b;
    adj[fill[b]!++] = a;
  }
  return { start, adj };
}

/**
 * Where to put a node that arrives after the first layout: beside a neighbour
 * already drawn (or, for a node with no neighbour on screen, beside the
 * drawing's right edge), on the first free spot of rings around that anchor,
 * so live updates grow the picture in place without covering other nodes.
 */
export function placeNear(anchor: Point, taken: readonly Point[], seed: string, clearance = 40): Point {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  const turn = (((h >>> 0) % 3600) / 3600) * Math.PI * 2;
  let best: Point = { x: anchor.x + 90, y: anchor.y };
  let bestGap = -1;
  for (const r of [90, 140, 200, 280, 380]) {
    for (let k = 0; k < 12; k++) {
      const a = turn + (k * Math.PI) / 6;
      const p = { x: Math.round(anchor.x + r * Math.cos(a)), y: Math.round(anchor.y + r * Math.sin(a)) };
      let gap = Infinity;
      for (const q of taken) gap = Math.min(gap, Math.hypot(p.x - q.x, p.y - q.y));
      if (gap >= clearance) return p;
      if (gap > bestGap) {
        bestGap = gap;
        best = p;
      }
    }
  }
  return best;
}

/** The anchor for a newcomer with no neighbour on screen: just right of the drawing. */
export function besideDrawing(points: readonly Point[]): Point {
  if (points.length === 0) return { x: 0, y: 0 };
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  return { x: maxX + 60, y: (minY + maxY) / 2 };
}
