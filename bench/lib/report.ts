/**
 * Every benchmark reports through this: its figure, the same work done by a
 * bare baseline in the same run, the ratio, and the SPEC §6 floor.
 */
export interface BenchResult {
  id: string; // "P1"
  what: string;
  figure: number;
  unit: string;
  baseline: number;
  baselineWhat: string;
  /** figure / baseline for throughputs; for latencies and times the same division, read with `higherIsBetter`. */
  ratio: number;
  floor: string;
  pass: boolean;
  higherIsBetter: boolean;
  extra?: Record<string, unknown>;
}

export function report(r: Omit<BenchResult, 'ratio'> & { ratio?: number }): BenchResult {
  const full: BenchResult = { ...r, ratio: r.ratio ?? (r.baseline ? r.figure / r.baseline : NaN) };
  const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
  process.stdout.write(
    `${full.id} ${full.what}: ${fmt(full.figure)} ${full.unit} | baseline (${full.baselineWhat}): ${fmt(full.baseline)} ${full.unit} | ratio ${full.ratio.toFixed(2)} | floor ${full.floor} | ${full.pass ? 'PASS' : 'BELOW FLOOR'}\n`,
  );
  process.stdout.write(`BENCH ${JSON.stringify(full)}\n`);
  return full;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Peak RSS sampler: call stop() to get the maximum seen, in MB. */
export function sampleRss(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  t.unref();
  return {
    stop() {
      clearInterval(t);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak / 1024 / 1024;
    },
  };
}
