import { binUpperMs } from '../relay/latency.ts';

/** Bins of relay/latency.ts: bin b holds latencies in (binUpperMs(b - 1), binUpperMs(b)], 15 % wide. */
export const BINS = 401;

/**
 * The error bound of a percentile read from the log-scale rollups against the
 * exact value: the estimate lies in the same bin as the value, and a bin's
 * upper edge is 1.15 × its lower edge. Stated here, asserted in the tests.
 */
export const ROLLUP_RELATIVE_ERROR = 0.15;

/**
 * Percentile (0–100) from a dense histogram, with the same rank rule as SQLite's
 * percentile_cont (position (n − 1)·p + 1), interpolated geometrically inside
 * the bin that holds that rank, as if its values were spread evenly on the log scale.
 */
export function histPercentile(hist: Float64Array, total: number, p: number): number | null {
  if (total <= 0) return null;
  const pos = (total - 1) * (p / 100) + 1;
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    const n = hist[b]!;
    if (n === 0) continue;
    if (seen + n >= pos) {
      const hi = binUpperMs(b);
      const lo = b === 0 ? 0 : binUpperMs(b - 1);
      const f = Math.min(1, Math.max(0, (pos - seen - 0.5) / n));
      const v = lo === 0 ? hi * f : lo * Math.pow(hi / lo, f);
      return Math.round(v * 100) / 100;
    }
    seen += n;
  }
  return null;
}

/** Accumulates [bin, count] rows into a dense histogram. */
export class Histogram {
  readonly bins = new Float64Array(BINS);
  total = 0;
  add(bin: number, n: number): void {
    const b = Math.min(BINS - 1, Math.max(0, bin));
    this.bins[b] = this.bins[b]! + n;
    this.total += n;
  }
  p(pct: number): number | null {
    return histPercentile(this.bins, this.total, pct);
  }
}
