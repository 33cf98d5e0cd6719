import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server (tests run several in a process). */
export function createMetrics(opts: { defaults?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'sync_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sync_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Channels (SPEC §3.9): public requests by outcome, open streams, and how long a request waited before a stream sent it.
  const channelRequests = new Counter({
    name: 'sync_channel_requests_total',
    help: 'Requests to public channel URLs by outcome (stored, not_found, too_large, rate_limited, invalid)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const sseClients = new Gauge({ name: 'sync_sse_clients', help: 'Open channel streams', registers: [registry] });
  const channelLag = new Histogram({
    name: 'sync_channel_stream_lag_seconds',
    help: 'From a channel request being received to a stream sending it (replays after a disconnect included)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30, 300, 3600],
    registers: [registry],
  });
  /** Counts each request under its route pattern (never the raw path, whose ids would explode the label set). */
  const middleware: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      requests.inc({ route, method: req.method, status: String(res.statusCode) });
      end({ route, method: req.method });
    });
    next();
  };
  return { registry, requests, latency, middleware, channelRequests, sseClients, channelLag };
}
export type Metrics = ReturnType<typeof createMetrics>;
