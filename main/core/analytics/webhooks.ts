import type { WebhookAnalytics } from '../../../preload/contract/analytics.ts';
import { iso } from '../util/time.ts';
import { Histogram } from './percentile.ts';
import type { Statements } from './statements.ts';
import { bucketTimes, rate, round2, windowInfo, type Range } from './window.ts';

/** The same rule as the rollup trigger of migration 009: a 2xx answer without a transport error. */
const OK = `(status_code between 200 and 299 and error_code is null)`;
const CODE = `coalesce(error_code, case when status_code is not null and not (status_code between 200 and 299) then 'http_' || status_code end, '')`;

/** Outbound webhooks (not per investigation): attempts, success rate, latency p50/p95, dead letters, errors. */
export class WebhookQueries {
  constructor(private readonly st: Statements) {}

  analytics(r: Range): WebhookAnalytics {
    const params = { from: r.from, to: r.to, bucket: r.bucket };
    const succeeded = new Array<number>(r.buckets).fill(0);
    const failed = new Array<number>(r.buckets).fill(0);
    let p50: number | null = null;
    let p95: number | null = null;
    let errors: { code: string; count: number }[];
    let per: { id: string; n: number; ok: number }[];
    if (r.exact) {
      const series = this.st
        .get(`select cast((started_at - @from) / @bucket as integer) as i, ${OK} as ok, count(*) as n from delivery_attempts where started_at >= @from and started_at <= @to group by i, ok`)
        .all(params) as { i: number; ok: number; n: number }[];
      for (const s of series) (s.ok ? succeeded : failed)[Math.min(r.buckets - 1, Math.floor(s.i))]! += s.n;
      const p = this.st
        .get(`select percentile_cont(duration_ms, 0.5) as p50, percentile_cont(duration_ms, 0.95) as p95 from delivery_attempts where started_at >= @from and started_at <= @to`)
        .get(params) as { p50: number | null; p95: number | null };
      p50 = round2(p.p50);
      p95 = round2(p.p95);
      errors = this.st
        .get(`select ${CODE} as code, count(*) as count from delivery_attempts where started_at >= @from and started_at <= @to and not ${OK} group by code order by count desc`)
        .all(params) as { code: string; count: number }[];
      per = this.st
        .get(`select webhook_id as id, count(*) as n, sum(${OK}) as ok from delivery_attempts where started_at >= @from and started_at <= @to group by webhook_id`)
        .all(params) as { id: string; n: number; ok: number }[];
    } else {
      const series = this.st
        .get(`select cast((bucket - @from) / @bucket as integer) as i, ok, sum(count) as n from webhook_stats_hour where bucket >= @from and bucket <= @to group by i, ok`)
        .all(params) as { i: number; ok: number; n: number }[];
      for (const s of series) (s.ok ? succeeded : failed)[Math.min(r.buckets - 1, Math.floor(s.i))]! += s.n;
      const h = new Histogram();
      for (const [bin, n] of this.st
        .get(`select bin, sum(count) from webhook_latency_hour where bucket >= @from and bucket <= @to group by bin`)
        .raw()
        .all(params) as [number, number][])
        h.add(bin, n);
      p50 = h.p(50);
      p95 = h.p(95);
      errors = this.st
        .get(`select code, sum(count) as count from webhook_stats_hour where bucket >= @from and bucket <= @to and ok = 0 group by code order by count desc`)
        .all(params) as { code: string; count: number }[];
      per = this.st
        .get(`select webhook_id as id, sum(count) as n, sum(case when ok = 1 then count else 0 end) as ok from webhook_stats_hour where bucket >= @from and bucket <= @to group by webhook_id`)
        .all(params) as { id: string; n: number; ok: number }[];
    }
    const dead = this.st.get(`select count(*) from deliveries where status = 'dead' and updated_at >= @from and updated_at <= @to`).pluck().get(params) as number;
    const urls = this.st.get(`select url from webhooks where id = ?`).pluck();
    const ok = succeeded.reduce((a, b) => a + b, 0);
    const bad = failed.reduce((a, b) => a + b, 0);
    return {
      ...windowInfo(r),
      percentiles: r.exact ? 'exact' : 'rollup',
      totals: { attempts: ok + bad, succeeded: ok, failed: bad, successRate: rate(ok, ok + bad), p50Ms: p50, p95Ms: p95, deadLetters: dead },
      series: bucketTimes(r).map((at, i) => ({ at: iso(at), succeeded: succeeded[i]!, failed: failed[i]! })),
      errors,
      byWebhook: per
        .map((w) => ({ webhookId: w.id, url: (urls.get(w.id) as string | undefined) ?? '(deleted)', attempts: w.n, succeeded: w.ok, successRate: rate(w.ok, w.n) }))
        .sort((a, b) => b.attempts - a.attempts),
    };
  }
}
