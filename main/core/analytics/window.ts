import type { AnalyticsScope, AnalyticsWindow } from '../../../preload/contract/analytics.ts';
import { windowRange } from '../relay/analytics.ts';
import { iso } from '../util/time.ts';
import { ALL } from './recorder.ts';

const DAY = 24 * 3_600_000;

export interface Range {
  window: AnalyticsWindow;
  from: number;
  to: number;
  bucket: number;
  buckets: number;
  /** Exact percentiles from the runs themselves (windows up to 24 h); else the hourly rollups. */
  exact: boolean;
  /** The rollup row to read: one investigation or ALL. */
  inv: string;
  investigationId: string | null;
  /**
   * Beyond 24 h, whole UTC days in [dayFrom, dayTo) are read from the daily
   * rollups and the edge hours ([from, dayFrom) and [dayTo, to]) from the
   * hourly ones; with no whole day both are to + 1 (all hourly).
   */
  dayFrom: number;
  dayTo: number;
}

/** The relay's windows and buckets (one definition for every chart), plus the scope. */
export function rangeOf(scope: AnalyticsScope, now: number): Range {
  const r = windowRange(scope.window, now);
  let dayFrom = Math.ceil(r.from / DAY) * DAY;
  let dayTo = Math.floor(now / DAY) * DAY;
  if (dayTo <= dayFrom) dayFrom = dayTo = now + 1;
  return {
    window: scope.window,
    from: r.from,
    to: now,
    bucket: r.bucket,
    buckets: r.buckets,
    exact: r.span <= DAY,
    inv: scope.investigationId ?? ALL,
    investigationId: scope.investigationId ?? null,
    dayFrom,
    dayTo,
  };
}

/** The named parameters of a rollup read (see `rollupRows`). */
export function rollupParams(r: Range) {
  return { from: r.from, to: r.to, inv: r.inv, dayFrom: r.dayFrom, dayTo: r.dayTo };
}

export function windowInfo(r: Range) {
  return { window: r.window, investigationId: r.investigationId, from: iso(r.from), to: iso(r.to), bucketMs: r.bucket };
}

/** Index of the series bucket holding `t`, or -1 outside the window. */
export function slot(r: Range, t: number): number {
  if (t < r.from || t > r.to) return -1;
  return Math.min(r.buckets - 1, Math.floor((t - r.from) / r.bucket));
}

export function bucketTimes(r: Range): number[] {
  return Array.from({ length: r.buckets }, (_, i) => r.from + i * r.bucket);
}

export const rate = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
export const round2 = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
