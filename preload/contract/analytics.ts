import { z } from 'zod';
import { method } from './define.ts';
import { Id } from './common.ts';
import { RELAY_WINDOWS, type RelayAnalytics, type RelayVerification } from './relay.ts';
import type { EntityType } from './entities.ts';

/** One set of windows for every chart (the relay's, so both views agree). */
export const ANALYTICS_WINDOWS = RELAY_WINDOWS;
export type AnalyticsWindow = (typeof ANALYTICS_WINDOWS)[number];

/**
 * Typed codes a failed tool run is counted under (errors by code). Derived
 * where the error is classified (tools/errors.ts), never parsed from messages.
 */
export const TOOL_ERROR_CODES = [
  'timeout',
  'network',
  'dns',
  'rate_limited',
  'server_error',
  'client_error',
  'invalid_data',
  'parse_error',
  'circuit_open',
  'unknown_tool',
  'store_failed',
  'tool_error',
  'transient',
] as const;
export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

const Scope = z.object({
  window: z.enum(ANALYTICS_WINDOWS).default('24h'),
  /** Only this investigation; all when omitted. */
  investigationId: Id.optional(),
});
export type AnalyticsScope = z.output<typeof Scope>;

/** How percentiles of this window were computed (SPEC §3.5): exact up to 24 h, from the hourly log-scale rollups beyond. */
export type PercentileSource = 'exact' | 'rollup';

interface WindowInfo {
  window: AnalyticsWindow;
  investigationId: string | null;
  from: string;
  to: string;
  /** Width of one series bucket. */
  bucketMs: number;
}

export interface BatchAnalytics extends WindowInfo {
  totals: {
    /** Operations that reached a final state in the window. */
    completed: number;
    failed: number;
    /** Attempts that failed and were retried. */
    retried: number;
    successRate: number | null;
  };
  /** Throughput: operations finished per bucket. */
  throughput: { at: string; completed: number; failed: number }[];
  /** Queue depth at the end of each bucket, from the samples the executor writes with every commit. */
  queue: { at: string; pending: number; running: number }[];
  running: {
    id: string;
    name: string;
    investigationId: string;
    total: number;
    done: number;
    /** Operations finished per minute over the last 10 minutes. */
    perMinute: number;
    etaSeconds: number | null;
  }[];
}

export interface ToolStats {
  tool: string;
  /** Attempts that ran (retries included). */
  runs: number;
  failed: number;
  successRate: number | null;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface ToolAnalytics extends WindowInfo {
  percentiles: PercentileSource;
  tools: ToolStats[];
  /** Failed runs (final or retried) by typed error code, most first. */
  errors: { code: ToolErrorCode; count: number }[];
  errorsByTool: { tool: string; code: ToolErrorCode; count: number }[];
  /** Per tool: the radar's axes. */
  health: { tool: string; successRate: number | null; p95Ms: number | null; runs: number; breakerTrips: number }[];
  /** Circuit breaker trips (closed/half-open → open) per host in the window. */
  hosts: { host: string; trips: number }[];
  /** Operation latency against time: every run when few, else an even sample of at most `SCATTER_POINTS`. */
  scatter: { at: string; ms: number; tool: string; ok: boolean }[];
  scatterSampled: boolean;
}
export const SCATTER_POINTS = 2000;

export interface WebhookAnalytics extends WindowInfo {
  percentiles: PercentileSource;
  totals: {
    attempts: number;
    succeeded: number;
    failed: number;
    successRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    /** Deliveries that gave up (dead letters) in the window. */
    deadLetters: number;
  };
  series: { at: string; succeeded: number; failed: number }[];
  errors: { code: string; count: number }[];
  byWebhook: { webhookId: string; url: string; attempts: number; succeeded: number; successRate: number | null }[];
}

export interface RelayAnalyticsSummary extends WindowInfo {
  /** The relay's own analytics (same rollups as the Relay section's charts). */
  relay: RelayAnalytics;
  verification: { outcome: RelayVerification; count: number }[];
}

export interface EntityAnalytics extends WindowInfo {
  /** Entities first seen in the window, by type. */
  byType: { type: EntityType; count: number }[];
  total: number;
  /** Discoveries per bucket and type. */
  discoveries: { at: string; total: number; byType: Partial<Record<EntityType, number>> }[];
  /**
   * Verdicts given (or changed) in the window, in the investigation when scoped
   * (a false positive on (site, username) is remembered everywhere, but counted
   * where it was given). `bySite`: accounts' verdicts per site, most false positives first.
   */
  verdicts: { confirmed: number; falsePositive: number; bySite: { site: string; confirmed: number; falsePositive: number }[] };
}

export const analyticsMethods = {
  'analytics.batches': method(Scope).returns<BatchAnalytics>(),
  'analytics.tools': method(Scope).returns<ToolAnalytics>(),
  /** Webhooks and the relay are not per investigation: `investigationId` is accepted and ignored for them. */
  'analytics.webhooks': method(Scope).returns<WebhookAnalytics>(),
  'analytics.relay': method(Scope).returns<RelayAnalyticsSummary>(),
  'analytics.entities': method(Scope).returns<EntityAnalytics>(),
};
