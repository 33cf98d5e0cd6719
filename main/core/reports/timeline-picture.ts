import { h, type Markup } from './html-escape.ts';

/** Bucket width for a span: a round unit (minute … month) so the axis reads well, about `target` buckets. */
export function bucketFor(from: number, to: number, target: number): { from: number; bucketMs: number; buckets: number } {
  const span = Math.max(1, to - from);
  const units = [1_000, 60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000, 365 * 86_400_000];
  const raw = span / target;
  const bucketMs = units.find((u) => u >= raw) ?? Math.ceil(raw);
  const start = Math.floor(from / bucketMs) * bucketMs;
  return { from: start, bucketMs, buckets: Math.max(1, Math.ceil((to - start + 1) / bucketMs)) };
}

/** Entities first seen and tool runs per bucket, as two rows of bars. */
export function timelineSvg(from: number, bucketMs: number, entities: number[], runs: number[]): Markup {
  const W = 900;
  const H = 200;
  const n = entities.length;
  const max = Math.max(1, ...entities, ...runs);
  const bw = (W - 60) / n;
  const y = (v: number, base: number, hgt: number) => base - (v / max) * hgt;
  const label = (ms: number) => new Date(ms).toISOString().slice(0, bucketMs >= 86_400_000 ? 10 : 16).replace('T', ' ');
  const ticks = [0, Math.floor(n / 2), n - 1].filter((v, i, a) => a.indexOf(v) === i);
  return h`<svg class="timeline" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Timeline" xmlns="http://www.w3.org/2000/svg">
<text x="4" y="14" font-size="10" fill="#374151">entities first seen</text>
<text x="4" y="104" font-size="10" fill="#374151">tool runs</text>
${entities.map((v, i) => (v ? h`<rect x="${(50 + i * bw).toFixed(1)}" y="${y(v, 90, 70).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((v / max) * 70).toFixed(1)}" fill="#3b82f6"><title>${label(from + i * bucketMs)}: ${v} entities</title></rect>` : null))}
${runs.map((v, i) => (v ? h`<rect x="${(50 + i * bw).toFixed(1)}" y="${y(v, 180, 70).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${((v / max) * 70).toFixed(1)}" fill="#f59e0b"><title>${label(from + i * bucketMs)}: ${v} runs</title></rect>` : null))}
<line x1="50" y1="90" x2="${W - 10}" y2="90" stroke="#d1d5db"/><line x1="50" y1="180" x2="${W - 10}" y2="180" stroke="#d1d5db"/>
${ticks.map((i) => h`<text x="${(50 + i * bw).toFixed(1)}" y="195" font-size="9" fill="#6b7280">${label(from + i * bucketMs)}</text>`)}
</svg>`;
}
