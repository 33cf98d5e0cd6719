import { afterEach, describe, expect, it } from 'vitest';
import { analyticsCore, prng } from './test-support.ts';
import { ROLLUP_RELATIVE_ERROR } from './percentile.ts';
import { relayCore, post, type TestCore } from '../testing/relay.ts';
import { CommitWriter } from '../batch/commit.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NOW = Date.UTC(2026, 2, 10, 14, 37, 21);
const H = 3_600_000;

describe('webhooks family', () => {
  it('counts attempts, success, dead letters and errors; exact p50/p95 for 24h and rolled-up (by the insert trigger) for 7d', async () => {
    const { core } = await analyticsCore(NOW);
    cleanups.push(() => core.dispose());
    const { sqlite } = core.ctx;
    sqlite.prepare(`insert into webhooks (id, url, events, secret_sealed, created_at, updated_at) values ('wh_1', 'http://127.0.0.1:9/in', '[]', 'x', 0, 0)`).run();
    const del = sqlite.prepare(`insert into deliveries (id, event_id, webhook_id, event_type, payload, status, created_at, updated_at) values (?, ?, 'wh_1', 'batch.completed', '{}', ?, ?, ?)`);
    const att = sqlite.prepare(`insert into delivery_attempts (id, delivery_id, webhook_id, chain, number, started_at, duration_ms, request_headers, status_code, error_code)
      values (?, ?, 'wh_1', 0, ?, ?, ?, '{}', ?, ?)`);
    const rnd = prng(7);
    sqlite.transaction(() => {
      for (let i = 0; i < 400; i++) {
        const at = NOW - Math.floor(rnd() * 5 * 24 * H);
        const failed = i % 10 === 0;
        const dead = i % 40 === 0;
        del.run(`d${i}`, `e${i}`, dead ? 'dead' : failed ? 'failed' : 'succeeded', at, at);
        att.run(`a${i}`, `d${i}`, 1, at, Math.round(20 + rnd() * 200), failed ? (i % 20 === 0 ? null : 500) : 200, failed && i % 20 === 0 ? 'timeout' : null);
      }
    })();
    for (const window of ['24h', '7d'] as const) {
      const w = await core.call('analytics.webhooks', { window });
      const r = (await import('./window.ts')).rangeOf({ window }, NOW);
      const exact = sqlite
        .prepare(
          `select count(*) as n, sum(status_code between 200 and 299 and error_code is null) as ok,
             percentile_cont(duration_ms, 0.5) as p50, percentile_cont(duration_ms, 0.95) as p95 from delivery_attempts where started_at >= ? and started_at <= ?`,
        )
        .get(r.from, NOW) as { n: number; ok: number; p50: number; p95: number };
      expect(w.totals.attempts).toBe(exact.n);
      expect(w.totals.succeeded).toBe(exact.ok);
      expect(w.percentiles).toBe(window === '24h' ? 'exact' : 'rollup');
      if (window === '24h') expect([w.totals.p50Ms, w.totals.p95Ms]).toEqual([Math.round(exact.p50 * 100) / 100, Math.round(exact.p95 * 100) / 100]);
      else {
        expect(Math.abs(w.totals.p50Ms! - exact.p50) / exact.p50).toBeLessThanOrEqual(ROLLUP_RELATIVE_ERROR);
        expect(Math.abs(w.totals.p95Ms! - exact.p95) / exact.p95).toBeLessThanOrEqual(ROLLUP_RELATIVE_ERROR);
      }
      const dead = sqlite.prepare(`select count(*) from deliveries where status = 'dead' and updated_at >= ?`).pluck().get(r.from);
      expect(w.totals.deadLetters).toBe(dead);
      const codes = Object.fromEntries(w.errors.map((e) => [e.code, e.count]));
      expect(Object.keys(codes).sort()).toEqual(['http_500', 'timeout']);
      expect(w.byWebhook).toMatchObject([{ webhookId: 'wh_1', url: 'http://127.0.0.1:9/in', attempts: exact.n }]);
    }
  });
});

describe('relay family', () => {
  let core: TestCore | null = null;
  afterEach(async () => {
    await core?.dispose();
    core = null;
  });
  it('reuses the relay analytics and adds verification outcomes from the log writer rollup', async () => {
    const r = await relayCore();
    core = r.core;
    await core.call('relay.endpoints.create', { slug: 'a', provider: 'github', secret: 's' });
    await post(`${r.base}/hooks/a`, '{}');
    await post(`${r.base}/hooks/a`, '{}', { 'X-Hub-Signature-256': 'sha256=00' });
    await post(`${r.base}/hooks/missing`, '{}');
    const got = await core.call('analytics.relay', { window: '1h' });
    const direct = await core.call('relay.analytics', { window: '1h' });
    // Two calls, two instants: everything but `to` is the same.
    expect({ ...got.relay, to: null }).toEqual({ ...direct, to: null });
    expect(got.relay.totals.total).toBe(3);
    const v = Object.fromEntries(got.verification.map((x) => [x.outcome, x.count]));
    const logged = core.ctx.sqlite.prepare(`select verification, count(*) as n from relay_requests group by verification`).all() as { verification: string; n: number }[];
    expect(v).toEqual(Object.fromEntries(logged.map((l) => [l.verification, l.n])));
    expect(v.invalid_signature).toBeGreaterThanOrEqual(1);
  });
});

describe('entities family', () => {
  it('counts entities first seen in the window by type and over time', async () => {
    const { core } = await analyticsCore(NOW);
    cleanups.push(() => core.dispose());
    const inv = (await core.call('investigations.create', { name: 'e' })).id;
    const ins = core.ctx.sqlite.prepare(`insert into entities (id, investigation_id, type, value, normalized, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?)`);
    ins.run('e1', inv, 'email', 'a@x.org', 'a@x.org', NOW - 10 * 60_000, NOW);
    ins.run('e2', inv, 'email', 'b@x.org', 'b@x.org', NOW - 10 * 60_000, NOW);
    ins.run('e3', inv, 'domain', 'x.org', 'x.org', NOW - 30 * 60_000, NOW);
    ins.run('e4', inv, 'username', 'old', 'old', NOW - 3 * H, NOW);
    const e = await core.call('analytics.entities', { window: '1h' });
    expect(e.byType).toEqual([
      { type: 'email', count: 2 },
      { type: 'domain', count: 1 },
    ]);
    expect(e.total).toBe(3);
    const busy = e.discoveries.filter((d) => d.total > 0);
    expect(busy.map((d) => d.byType)).toEqual([{ domain: 1 }, { email: 2 }]);
    expect((await core.call('analytics.entities', { window: '24h' })).total).toBe(4);
  });
});

describe('tool health', () => {
  it('counts breaker trips per host and tool, written with the next group commit', async () => {
    const { core } = await analyticsCore(NOW);
    cleanups.push(() => core.dispose());
    const inv = (await core.call('investigations.create', { name: 'trips' })).id;
    const writer = new CommitWriter(core.ctx);
    writer.trip('api.example.org', 'http.api', inv, NOW - 1000);
    writer.trip('api.example.org', 'http.api', inv, NOW - 500);
    writer.trip('dns.example.org', 'dns.lookup', inv, NOW - 200);
    await writer.drain();
    // drain() runs after the scheduled commit that carries the trips.
    await new Promise((r) => setImmediate(r));
    await writer.drain();
    const t = await core.call('analytics.tools', { window: '1h' });
    expect(t.hosts).toEqual([
      { host: 'api.example.org', trips: 2 },
      { host: 'dns.example.org', trips: 1 },
    ]);
    expect(t.health.map((h) => [h.tool, h.breakerTrips])).toEqual([
      ['dns.lookup', 1],
      ['http.api', 2],
    ]);
  });
});
