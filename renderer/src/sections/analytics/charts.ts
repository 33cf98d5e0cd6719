import 'chartjs-adapter-date-fns';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Decimation,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PieController,
  PointElement,
  RadarController,
  RadialLinearScale,
  ScatterController,
  TimeScale,
  Tooltip,
} from 'chart.js';

/** Only the pieces the analytics charts use (tree-shaken chart.js): six controllers, their elements and scales, Filler, Decimation. */
ChartJS.register(
  BarController,
  LineController,
  PieController,
  ScatterController,
  RadarController,
  BarElement,
  LineElement,
  PointElement,
  ArcElement,
  CategoryScale,
  LinearScale,
  TimeScale,
  RadialLinearScale,
  Filler,
  Decimation,
  Legend,
  Tooltip,
);

export const COLORS = { ok: 'rgb(47,158,68)', failed: 'rgb(224,49,49)', pending: 'rgb(28,126,214)', running: 'rgb(240,140,0)', muted: 'rgb(134,142,150)' };
export const PALETTE = ['#3b82f6', '#10b981', '#8b5cf6', '#f59e0b', '#ec4899', '#06b6d4', '#ef4444', '#6366f1', '#84cc16', '#f97316'];

/** A time x axis in the window's units. */
export function timeAxis(bucketMs: number) {
  return { type: 'time' as const, time: { unit: bucketMs >= 3_600_000 ? ('day' as const) : bucketMs >= 900_000 ? ('hour' as const) : ('minute' as const) }, ticks: { maxTicksLimit: 10 } };
}

/** Shades per HTTP status class (2xx green, 3xx blue, 4xx orange, 5xx red), darkest first. */
const STATUS_SHADES: Record<number, string[]> = {
  2: ['rgb(47,158,68)', 'rgb(105,219,124)', 'rgb(43,138,62)', 'rgb(178,242,187)'],
  3: ['rgb(28,126,214)', 'rgb(116,192,252)', 'rgb(24,100,171)', 'rgb(165,216,255)'],
  4: ['rgb(240,140,0)', 'rgb(255,212,59)', 'rgb(217,72,15)', 'rgb(255,169,77)'],
  5: ['rgb(224,49,49)', 'rgb(250,82,82)', 'rgb(134,46,156)', 'rgb(201,42,42)'],
};

/**
 * A colour per status code that keeps its class's hue but tells codes of one class apart (200 and 201, 404 and
 * 429 in one stacked chart were the same colour). Codes past a class's shades, or outside 2xx-5xx, take the palette.
 */
export function statusColors(statuses: number[]): Map<number, string> {
  const out = new Map<number, string>();
  const used: Record<number, number> = {};
  let spare = 0;
  for (const st of [...new Set(statuses)].sort((a, b) => a - b)) {
    const cls = Math.floor(st / 100);
    const shades = STATUS_SHADES[cls];
    const i = used[cls] ?? 0;
    used[cls] = i + 1;
    out.set(st, shades && i < shades.length ? shades[i]! : PALETTE[spare++ % PALETTE.length]!);
  }
  return out;
}
