/**
 * P5: every analytics query (all families, every window) over 1,000,000
 * operation runs and 1,000,000 relay requests.
 *
 * Data is written with raw INSERT ... SELECT (generation is not what is
 * measured), and the rollups with the SQL twins of what the writers add per
 * commit (rebuildRollups for the relay, rebuildOpRollups for the runs' hourly
 * and daily grains; unit tests check each twin agrees with its writer); the
 * entities' hourly rollup is kept by its triggers (migration 015). Beside them: 100 batches with
 * a queue sample per minute they ran, 200,000 entities and 100,000 webhook
 * delivery attempts (rolled up by their insert trigger).
 * Each query: median of 9 runs. Figure: the slowest query.
 * Baselines: a bare `select count(*)` over op_runs and over relay_requests.
 */
import { rmSync } from 'node:fs';
import { uptime, loadavg } from 'node:os';
import { createCore } from '../main/core/core.ts';
import { tempDir } from '../main/core/testing/temp-core.ts';
import { ANALYTICS_WINDOWS } from '../preload/contract/analytics.ts';
import { report } from './lib/report.ts';
import { rebuildRollups } from '../main/core/relay/rollups.ts';
import { rebuildOpRollups } from '../main/core/analytics/rebuild.ts';
import { rangeOf } from '../main/core/analytics/window.ts';

const N = Number(process.env.P5_N ?? 1_000_000);
const ENTITIES = Number(process.env.P5_ENTITIES ?? 200_000);
const ATTEMPTS = Number(process.env.P5_ATTEMPTS ?? 100_000);
const FLOOR_MS = 150;
const RUNS = 9;
const DAY = 86_400_000;

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
  process.stdout.write(`P5 load at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  const dataDir = tempDir('dossier-p5-');
  const core = await createCore({ dataDir, mode: 'cli' });
  const { sqlite } = core.ctx;
  const now = Date.now();
  const span = 30 * DAY;
  const t0 = performance.now();

  // Relay: statuses roughly like a real relay (mostly accepted, some signature failures, unknown slugs, oversize bodies).
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

  // Investigations and batches: 100 batches over the month, each running a stretch of minutes; three still running.
  const invs: string[] = [];
  for (let i = 0; i < 10; i++) invs.push((await core.call('investigations.create', { name: `p5 ${i}` })).id);
  const insBatch = sqlite.prepare(`insert into batches (id, investigation_id, name, tool, status, options, total, completed, failed, cancelled, created_at, started_at, finished_at, updated_at)
    values (?, ?, ?, 'http.probe', ?, '{}', ?, ?, 0, 0, ?, ?, ?, ?)`);
  const insSample = sqlite.prepare(`insert into queue_samples (batch_id, bucket, investigation_id, at, pending, running) values (?, ?, ?, ?, ?, ?)`);
  const perBatch = Math.floor(N / 100);
  sqlite.transaction(() => {
    for (let b = 0; b < 100; b++) {
      const running = b >= 97;
      const start = now - span + Math.floor((b / 100) * (span - 8 * 3_600_000));
      const minutes = 60 + (b % 7) * 60;
      const end = running ? now : start + minutes * 60_000;
      const id = `bat_p5_${b}`;
      insBatch.run(id, invs[b % 10], `batch ${b}`, running ? 'running' : 'completed', perBatch, running ? Math.floor(perBatch / 2) : perBatch, start, start, running ? null : end, end);
      const samples = running ? 600 : minutes;
      for (let m = 0; m <= samples; m++) {
        const at = (running ? now - samples * 60_000 : start) + m * 60_000;
        insSample.run(id, at - (at % 60_000), invs[b % 10], at, Math.max(0, Math.round(perBatch * (1 - m / samples)) - 10), 10);
      }
    }
  })();

  // Operation runs: 1,000,000 over the month, 8 tools, ~92 % completed, 5 % failed by typed code, 3 % retried.
  sqlite
    .prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < @n),
       g as (select i, abs(random()) % 1000 as r, abs(random()) % 1000 as q from n)
       insert into op_runs (finished_at, investigation_id, batch_id, tool, outcome, code, duration_ms)
       select @now - (@n - i) * @step, 'inv', 'bat_p5_' || cast(i * 100 / (@n + 1) as integer), 'tool.' || (i % 8),
         case when r < 920 then 'completed' when r < 970 then 'failed' else 'retry' end,
         case when r < 920 then '' when r < 940 then 'timeout' when r < 955 then 'server_error' when r < 965 then 'dns' when r < 970 then 'client_error' else 'rate_limited' end,
         case when q < 900 then 5 + q / 10.0 else 200 + q * 3.0 end
       from g`,
    )
    .run({ n: N, now, step: Math.floor(span / N) });
  // Investigation of each run: that of its batch.
  const invOf = sqlite.prepare(`update op_runs set investigation_id = ? where batch_id = ?`);
  sqlite.transaction(() => {
    for (let b = 0; b < 100; b++) invOf.run(invs[b % 10], `bat_p5_${b}`);
  })();
  rebuildOpRollups(sqlite);

  // Entities found over the month, by type.
  sqlite
    .prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < @n)
       insert into entities (id, investigation_id, type, value, normalized, first_seen, last_seen)
       select 'ent_p5_' || i, @inv, case i % 6 when 0 then 'email' when 1 then 'domain' when 2 then 'account' when 3 then 'url' when 4 then 'ip' else 'username' end,
         'v' || i, 'v' || i, @now - i * @step, @now from n`,
    )
    .run({ n: ENTITIES, inv: invs[0], now, step: Math.floor(span / ENTITIES) });

  // Webhook deliveries and their attempts (the insert trigger keeps the hourly rollups).
  sqlite.prepare(`insert into webhooks (id, url, events, secret_sealed, created_at, updated_at) values ('wh_p5', 'http://127.0.0.1:9/in', '[]', 'x', 0, 0)`).run();
  sqlite
    .prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < @n)
       insert into deliveries (id, event_id, webhook_id, event_type, payload, status, created_at, updated_at)
       select 'dl_' || i, 'ev_' || i, 'wh_p5', 'batch.completed', '{}', case when i % 200 = 0 then 'dead' else 'succeeded' end, @now - i * @step, @now - i * @step from n`,
    )
    .run({ n: ATTEMPTS, now, step: Math.floor(span / ATTEMPTS) });
  sqlite
    .prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < @n)
       insert into delivery_attempts (id, delivery_id, webhook_id, chain, number, started_at, duration_ms, request_headers, status_code, error_code)
       select 'at_' || i, 'dl_' || i, 'wh_p5', 0, 1, @now - i * @step, 20 + abs(random()) % 300, '{}',
         case when i % 20 = 0 then 500 else 200 end, case when i % 50 = 0 then 'timeout' end from n`,
    )
    .run({ n: ATTEMPTS, now, step: Math.floor(span / ATTEMPTS) });
  sqlite.exec('analyze');
  const genS = (performance.now() - t0) / 1000;
  const runs = sqlite.prepare('select count(*) from op_runs').pluck().get() as number;
  const requests = sqlite.prepare('select count(*) from relay_requests').pluck().get() as number;
  process.stdout.write(`P5 generated ${runs} runs, ${requests} relay requests, ${ENTITIES} entities, ${ATTEMPTS} delivery attempts and their rollups in ${genS.toFixed(1)} s\n`);

  const a = core.analytics;
  const timings: Record<string, number> = {};
  for (const w of ANALYTICS_WINDOWS) {
    for (const scope of [{ window: w }, { window: w, investigationId: invs[3] }]) {
      const r = rangeOf(scope, now);
      const tag = `${w}${scope.investigationId ? ' one inv' : ''}`;
      timings[`${tag} batches.throughput`] = time(() => a.batches.throughput(r));
      timings[`${tag} batches.queue`] = time(() => a.batches.queue(r));
      timings[`${tag} batches.running+eta`] = time(() => a.batches.running(r, now));
      timings[`${tag} analytics.batches (all)`] = time(() => a.batches.analytics(r, now));
      timings[`${tag} tools.stats p50/p95/p99`] = time(() => a.tools.stats(r));
      timings[`${tag} tools.errors by code`] = time(() => a.tools.errors(r));
      timings[`${tag} tools.scatter`] = time(() => a.tools.scatter(r, 1_000_000));
      timings[`${tag} analytics.tools (all)`] = time(() => a.tools.analytics(r));
      timings[`${tag} analytics.entities`] = time(() => a.entities.analytics(r));
      if (!scope.investigationId) {
        timings[`${tag} analytics.webhooks`] = time(() => a.webhooks.analytics(r));
        timings[`${tag} relay.byStatus`] = time(() => core.relay.analytics.byStatus(w, now));
        timings[`${tag} relay.latency`] = time(() => core.relay.analytics.latency(w, now));
        timings[`${tag} relay.topErrors`] = time(() => core.relay.analytics.topErrors(w, now));
        timings[`${tag} relay.verification`] = time(() => a.relay.verification(r));
        timings[`${tag} analytics.relay (all)`] = time(() => a.relay.analytics(r));
      }
    }
  }
  // Each query beside a bare count(*) of the table its family reads (same run, same connection).
  const bare: Record<string, number> = {};
  for (const t of ['op_runs', 'relay_requests', 'entities', 'delivery_attempts']) {
    const st = sqlite.prepare(`select count(*) from ${t}`).pluck();
    bare[t] = time(() => st.get());
  }
  const baselineRuns = bare.op_runs!;
  const baselineRelay = bare.relay_requests!;
  const tableOf = (k: string) => (/relay/.test(k) ? 'relay_requests' : /entities/.test(k) ? 'entities' : /webhooks/.test(k) ? 'delivery_attempts' : 'op_runs');
  process.stdout.write(`  | query | ms | bare count(*) of | its ms | ratio |\n  |---|---|---|---|---|\n`);
  for (const [k, v] of Object.entries(timings)) {
    const t = tableOf(k);
    process.stdout.write(`  | ${k} | ${v.toFixed(2)} | ${t} | ${bare[t]!.toFixed(2)} | ${(v / bare[t]!).toFixed(2)} |\n`);
  }
  process.stdout.write(`  baseline count(*) op_runs ${baselineRuns.toFixed(2)} ms, relay_requests ${baselineRelay.toFixed(2)} ms, entities ${bare.entities!.toFixed(2)} ms, delivery_attempts ${bare.delivery_attempts!.toFixed(2)} ms\n`);

  // The figures must be about the data generated: check a few against direct counts.
  const t30 = a.tools.analytics(rangeOf({ window: '30d' }, now));
  const from30 = rangeOf({ window: '30d' }, now).from;
  const inWindow = sqlite.prepare(`select count(*) from op_runs where finished_at >= ? and outcome != 'refused'`).pluck().get(from30 - (from30 % 3_600_000)) as number;
  const counted = t30.tools.reduce((n, t) => n + t.runs, 0);
  const relay30 = a.relay.analytics(rangeOf({ window: '30d' }, now));
  const relayIn = sqlite.prepare('select count(*) from relay_requests where received_at >= ?').pluck().get(from30) as number;
  process.stdout.write(`  30d check: ${counted} runs counted (${inWindow} in the window's hours), relay ${relay30.relay.totals.total} (${relayIn} logged in the window); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, up ${Math.round(uptime() / 60)} min\n`);
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });

  const worst = Math.max(...Object.values(timings));
  report({
    id: 'P5',
    what: 'analytics, slowest of every query over 1,000,000 runs + 1,000,000 requests',
    figure: worst,
    unit: 'ms',
    baseline: Math.max(baselineRuns, baselineRelay),
    baselineWhat: 'bare select count(*) over op_runs / relay_requests (the slower)',
    floor: `each < ${FLOOR_MS} ms`,
    pass: worst < FLOOR_MS && counted === inWindow && relay30.relay.totals.total === relayIn,
    higherIsBetter: false,
    extra: { runs, requests, entities: ENTITIES, attempts: ATTEMPTS, generateSeconds: genS, timingsMs: timings, bareCountMs: bare, loadavg: loadavg() },
  });
}

await main();
