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
