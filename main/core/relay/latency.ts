/**
 * Latency histogram bins for p50/p95 from the rollups: bin b covers up to
 * 1.15^b / 100 ms, i.e. 15 % resolution from 10 µs to minutes in ~110 bins
 * (coarse enough that a month of rollups stays small for P5).
 */
const RATIO = 1.15;
const BASE = Math.log(RATIO);

export function latencyBin(ms: number): number {
  if (!(ms > 0.01)) return 0;
  return Math.min(400, Math.ceil(Math.log(ms * 100) / BASE));
}

export function binUpperMs(bin: number): number {
  return Math.pow(RATIO, bin) / 100;
}

/** Percentile from [bin, count] pairs; null when empty. */
export function percentileFromBins(bins: Map<number, number>, p: number): number | null {
  let total = 0;
  for (const c of bins.values()) total += c;
  if (total === 0) return null;
  const target = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const b of [...bins.keys()].sort((a, b) => a - b)) {
    seen += bins.get(b)!;
    if (seen >= target) return Math.round(binUpperMs(b) * 100) / 100;
  }
  return null;
}
