/**
 * P5: relay analytics over 1,000,000 logged requests.
 *
 * 1,000,000 requests spread over the last 30 days are written with one raw
 * INSERT ... SELECT into relay_requests, and their rollups with
 * rebuildRollups() (the SQL twin of what the log writer adds per commit; a
 * unit test checks the two agree). Then every analytics
 * query (requests by status over time, latency histogram for p50/p95, top
 * errors; and the whole relay.analytics call) is timed for each window.
 * Figure: the slowest of them (median of 5 runs each).
 * Baseline: a bare `select count(*) from relay_requests` over the same table.
 */
import { rmSync } from 'node:fs';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { RELAY_WINDOWS } from '../preload/contract/relay.ts';
import { report } from './lib/report.ts';
import { rebuildRollups } from '../main/core/relay/rollups.ts';

const N = Number(process.env.P5_N ?? 1_000_000);
const FLOOR_MS = 150;
const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

async function main() {
  const dataDir = tempDir('dossier-p5-');
  const core = await createCore({ dataDir, mode: 'cli' });
  const { sqlite } = core.ctx;
  const now = Date.now();
  const span = 30 * 24 * 3_600_000;
  const t0 = performance.now();
  // Statuses roughly like a real relay: mostly accepted, some signature failures, unknown slugs, oversize bodies, outages.
  sqlite
    .prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < @n),
       g as (select i, abs(random()) % 1000 as r, (abs(random()) % 400000) / 1000.0 + 0.2 as lat from n)
       insert into relay_requests (endpoint_id, slug, received_at, method, path, query, headers, body, source_ip, user_agent, content_type,
         size, status, latency_ms, latency_bin, verification, error, delivery_id, event_type)
       select 'rep_' || (i % 5), 'ep-' || (i % 5), @now - (i * @step), 'POST', '/hooks/ep-' || (i % 5), '', '[["content-type","application/json"]]',
         cast('{"id":' || i || '}' as blob), '127.0.0.1', 'bench', 'application/json', 12,
         case when r < 900 then 202 when r < 950 then 401 when r < 980 then 404 when r < 990 then 413 else 200 end,
         lat / 20.0, cast(ceil(ln(lat / 20.0 * 100) / ln(1.15)) as integer),
         case when r < 900 or r >= 990 then 'verified' when r < 950 then 'invalid_signature' else 'skipped' end,
         case when r < 900 or r >= 990 then null when r < 925 then 'invalid_signature: signature does not match'
              when r < 950 then 'stale_timestamp: outside tolerance' when r < 980 then 'not_found: unknown relay endpoint' else 'payload_too_large: over the limit' end,
         case when r < 900 then 'd' || i end, 'issues'
       from g`,
    )
    .run({ n: N, now, step: Math.floor(span / N) });
  rebuildRollups(sqlite);
  const genS = (performance.now() - t0) / 1000;
  const rows = sqlite.prepare('select count(*) from relay_requests').pluck().get() as number;
  process.stdout.write(`P5 generated ${rows} requests and their rollups in ${genS.toFixed(1)} s\n`);

  const a = core.relay.analytics;
  const timings: Record<string, number> = {};
  for (const w of RELAY_WINDOWS) {
    timings[`${w} by status`] = time(() => a.byStatus(w, now));
    timings[`${w} latency p50/p95`] = time(() => a.latency(w, now));
    timings[`${w} top errors`] = time(() => a.topErrors(w, now));
    timings[`${w} relay.analytics (all)`] = time(() => a.analytics(w, now));
    timings[`${w} relay.analytics one endpoint`] = time(() => a.analytics(w, now, 'rep_1'));
  }
  const countStmt = sqlite.prepare('select count(*) from relay_requests').pluck();
  const baseline = time(() => countStmt.get());
  for (const [k, v] of Object.entries(timings)) process.stdout.write(`  ${k.padEnd(36)} ${v.toFixed(2)} ms\n`);
  const check = a.analytics('30d', now);
  const inWindow = sqlite.prepare('select count(*) from relay_requests where received_at >= ?').pluck().get(a.range('30d', now).from) as number;
  process.stdout.write(`  30d totals: ${check.totals.total} requests (log has ${inWindow} in the window), success ${check.totals.successRate}, p95 ${check.totals.p95LatencyMs} ms, top error ${check.topErrors[0]?.error}\n`);
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });

  const worst = Math.max(...Object.values(timings));
  report({
    id: 'P5',
    what: 'relay analytics, slowest query over 1,000,000 requests',
    figure: worst,
    unit: 'ms',
    baseline,
    baselineWhat: 'bare select count(*) over the same table',
    floor: `each < ${FLOOR_MS} ms`,
    pass: worst < FLOOR_MS && check.totals.total === inWindow,
    higherIsBetter: false,
    extra: { rows, generateSeconds: genS, timingsMs: timings },
  });
}

await main();
