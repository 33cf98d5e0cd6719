import { entityColor } from '../../../preload/contract/entity-colors.ts';
import { h, type Markup } from './html-escape.ts';

export interface PictureNode {
  id: string;
  type: string;
  label: string;
}

/** Past this many nodes the picture shows the oldest ones and says so; the tables and other formats stay complete. */
export const PICTURE_MAX_NODES = 1500;
export const PICTURE_MAX_EDGES = 4000;
const W = 900;
const H = 600;

/** A deterministic start position from the id, so the same investigation always draws the same picture. */
function seeded(id: string): [number, number] {
  let a = 2166136261;
  for (let i = 0; i < id.length; i++) a = Math.imul(a ^ id.charCodeAt(i), 16777619);
  const b = Math.imul(a ^ (a >>> 15), 2246822507);
  return [((a >>> 0) % 10_000) / 10_000, ((b >>> 0) % 10_000) / 10_000];
}

/**
 * Fruchterman–Reingold layout: O(n²) per step, so the step count shrinks as
 * the graph grows; a few thousand nodes still lay out in well under a second.
 */
export function layout(nodes: PictureNode[], edges: [number, number][]): [number, number][] {
  const n = nodes.length;
  const pos = nodes.map((nd) => seeded(nd.id).map((v, i) => v * (i === 0 ? W : H)) as [number, number]);
  if (n <= 1) return n === 1 ? [[W / 2, H / 2]] : [];
  const k = Math.sqrt((W * H) / n) * 0.8;
  const steps = Math.max(15, Math.min(200, Math.floor(2_000_000 / (n * n))));
  let temp = W / 8;
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      const [xi, yi] = pos[i]!;
      for (let j = i + 1; j < n; j++) {
        let ddx = xi - pos[j]![0];
        let ddy = yi - pos[j]![1];
        let d2 = ddx * ddx + ddy * ddy;
        if (d2 < 0.01) {
          ddx = 0.1;
          ddy = 0.1;
          d2 = 0.02;
        }
        const f = (k * k) / d2;
        dx[i]! += ddx * f;
        dy[i]! += ddy * f;
        dx[j]! -= ddx * f;
        dy[j]! -= ddy * f;
      }
    }
    for (const [a, b] of edges) {
      const ddx = pos[a]![0] - pos[b]![0];
      const ddy = pos[a]![1] - pos[b]![1];
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.1;
      const f = d / k;
      dx[a]! -= ddx * f;
      dy[a]! -= ddy * f;
      dx[b]! += ddx * f;
      dy[b]! += ddy * f;
    }
    for (let i = 0; i < n; i++) {
      // A weak pull to the centre keeps separate components on the page.
      dx[i]! += (W / 2 - pos[i]![0]) * 0.01 * k;
      dy[i]! += (H / 2 - pos[i]![1]) * 0.01 * k;
      const d = Math.sqrt(dx[i]! * dx[i]! + dy[i]! * dy[i]!) || 1;
      const m = Math.min(d, temp);
      pos[i]![0] += (dx[i]! / d) * m;
      pos[i]![1] += (dy[i]! / d) * m;
    }
    temp *= 0.95;
  }
  // Fit to the canvas with a margin.
  const xs = pos.map((p) => p[0]);
  const ys = pos.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (W - 60) / (maxX - minX || 1);
  const sy = (H - 60) / (maxY - minY || 1);
  return pos.map(([x, y]) => [30 + (x - minX) * sx, 30 + (y - minY) * sy]);
}

/** The graph as inline SVG: coloured dots by type, grey edges, labels when there are few enough to read. */
export function graphSvg(nodes: PictureNode[], edges: { source: string; target: string }[]): Markup {
  const index = new Map(nodes.map((nd, i) => [nd.id, i]));
  const pairs: [number, number][] = [];
  for (const e of edges) {
    const a = index.get(e.source);
    const b = index.get(e.target);
    if (a !== undefined && b !== undefined) pairs.push([a, b]);
  }
  const pos = layout(nodes, pairs);
  const r = nodes.length > 500 ? 2.5 : nodes.length > 100 ? 4 : 6;
  const labels = nodes.length <= 120;
  const f = (v: number) => v.toFixed(1);
  return h`<svg class="graph" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Link graph" xmlns="http://www.w3.org/2000/svg">
<g stroke="#9ca3af" stroke-width="0.7" stroke-opacity="0.7">${pairs.map(([a, b]) => h`<line x1="${f(pos[a]![0])}" y1="${f(pos[a]![1])}" x2="${f(pos[b]![0])}" y2="${f(pos[b]![1])}"/>`)}</g>
<g>${nodes.map((nd, i) => h`<circle cx="${f(pos[i]![0])}" cy="${f(pos[i]![1])}" r="${r}" fill="${entityColor(nd.type)}"><title>${nd.type}: ${nd.label}</title></circle>`)}</g>
${labels ? h`<g font-size="9" fill="#111827">${nodes.map((nd, i) => h`<text x="${f(pos[i]![0] + r + 2)}" y="${f(pos[i]![1] + 3)}">${nd.label.length > 28 ? nd.label.slice(0, 27) + '…' : nd.label}</text>`)}</g>` : null}
</svg>`;
}
