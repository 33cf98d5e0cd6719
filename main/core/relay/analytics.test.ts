import { afterEach, describe, expect, it } from 'vitest';
import { relayCore, post, type TestCore } from '../testing/relay.ts';
import { latencyBin, binUpperMs, percentileFromBins } from './latency.ts';
import { rebuildRollups } from './rollups.ts';

let core: TestCore | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

/** Log rows straight into the table at chosen times, then roll them up as the benchmark does. */
function insertAt(c: TestCore, rows: { at: number; status: number; latency: number; error?: string; endpointId?: string }[]) {
  const from = Number(c.ctx.sqlite.prepare('select coalesce(max(id), 0) + 1 from relay_requests').pluck().get());
  const stmt = c.ctx.sqlite.prepare(`insert into relay_requests (endpoint_id, slug, received_at, method, path, headers, size, status, latency_ms, latency_bin, verification, error)
    values (?, 'x', ?, 'POST', '/hooks/x', '[]', 0, ?, ?, ?, 'verified', ?)`);
  c.ctx.sqlite.transaction(() => {
    for (const r of rows) stmt.run(r.endpointId ?? 'rep_x', r.at, r.status, r.latency, latencyBin(r.latency), r.error ?? null);
  })();
  rebuildRollups(c.ctx.sqlite, from);
}

describe('relay analytics', () => {
  it('counts live requests by status, success rate, latency and top errors', async () => {
    const r = await relayCore();
    core = r.core;
    await core.call('relay.endpoints.create', { slug: 'a', provider: 'github', secret: 's' });
    await post(`${r.base}/hooks/a`, '{}');
    await post(`${r.base}/hooks/a`, '{}', { 'X-Hub-Signature-256': 'sha256=00' });
    await post(`${r.base}/hooks/missing`, '{}');
    await core.call('relay.endpoints.update', { id: (await core.call('relay.endpoints.list', {}))[0]!.id, provider: 'none' });
    core.relay.endpoints.invalidate();
    await post(`${r.base}/hooks/a`, '{}');
    const a = await core.call('relay.analytics', { window: '1h' });
    expect(a.totals).toMatchObject({ total: 4, success: 1, errors: 3, successRate: 0.25, errorRate: 0.75 });
    expect(a.statuses).toEqual([202, 401, 404]);
    expect(a.series).toHaveLength(60);
    // Summed over the buckets: the requests may straddle a minute boundary.
    const sum: Record<string, number> = {};
    for (const s of a.series) for (const [k, v] of Object.entries(s.byStatus)) sum[k] = (sum[k] ?? 0) + v;
    expect(sum).toEqual({ 202: 1, 401: 2, 404: 1 });
    expect(a.series.filter((s) => s.total > 0).length).toBeLessThanOrEqual(2);
    expect(a.topErrors).toEqual([
      { error: 'invalid_signature', count: 2 },
      { error: 'not_found', count: 1 },
    ]);
    expect(a.totals.avgLatencyMs).toBeGreaterThan(0);
    expect(a.totals.p95LatencyMs).toBeGreaterThanOrEqual(a.totals.p50LatencyMs!);
  });

  it('places requests in the buckets of each window and filters by endpoint', async () => {
    const r = await relayCore();
    core = r.core;
    const now = Date.now();
    const H = 3_600_000;
    insertAt(core, [
      { at: now - 10 * 60_000, status: 200, latency: 5 },
      { at: now - 10 * 60_000, status: 500, latency: 50, error: 'boom: x' },
      { at: now - 3 * H, status: 200, latency: 10 },
      { at: now - 3 * 24 * H, status: 202, latency: 20, endpointId: 'rep_other' },
      { at: now - 20 * 24 * H, status: 401, latency: 1, error: 'invalid_signature: no' },
      { at: now - 40 * 24 * H, status: 200, latency: 1 },
    ]);
    const totals = async (window: '1h' | '24h' | '7d' | '30d', endpointId?: string) => (await core!.call('relay.analytics', { window, endpointId })).totals.total;
    expect(await totals('1h')).toBe(2);
    expect(await totals('24h')).toBe(3);
    expect(await totals('7d')).toBe(4);
    expect(await totals('30d')).toBe(5);
    expect(await totals('30d', 'rep_other')).toBe(1);
    const week = await core.call('relay.analytics', { window: '7d' });
    expect(week.series).toHaveLength(168);
    expect(week.bucketMs).toBe(H);
    expect(week.topErrors).toEqual([{ error: 'boom', count: 1 }]);
    const day = await core.call('relay.analytics', { window: '24h' });
    expect(day.series).toHaveLength(96);
    expect(day.totals.p95LatencyMs).toBeGreaterThanOrEqual(50);
    expect(day.totals.p95LatencyMs).toBeLessThan(50 * 1.15);
  });

  it('retention removes the oldest requests by count and by age, and analytics keep counting them', async () => {
    const r = await relayCore();
    core = r.core;
    const now = Date.now();
    insertAt(core, [
      ...Array.from({ length: 20 }, () => ({ at: now - 3 * 86_400_000, status: 200, latency: 1 })),
      ...Array.from({ length: 150 }, () => ({ at: now - 60_000, status: 200, latency: 1 })),
    ]);
    await core.call('settings.set', { key: 'relay.retention.days', value: 2 });
    expect(await core.relay.applyRetention()).toEqual({ deleted: 20 });
    await core.call('settings.set', { key: 'relay.retention.count', value: 100 });
    expect(await core.relay.applyRetention()).toEqual({ deleted: 50 });
    const left = core.ctx.sqlite.prepare('select count(*) n, min(id) lo from relay_requests').get() as { n: number; lo: number };
    expect(left.n).toBe(100);
    expect(left.lo).toBe(71);
    expect((await core.call('relay.analytics', { window: '7d' })).totals.total).toBe(170);
  });

  it('the rollups the writer keeps equal the rollups computed from the log in SQL', async () => {
    const r = await relayCore();
    core = r.core;
    await core.call('relay.endpoints.create', { slug: 'a', provider: 'github', secret: 's' });
    await core.call('relay.endpoints.create', { slug: 'b', provider: 'none' });
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => post(`${r.base}/hooks/b`, `{"i":${i}}`)),
      ...Array.from({ length: 15 }, () => post(`${r.base}/hooks/a`, '{}', { 'X-Hub-Signature-256': 'sha256=00' })),
      ...Array.from({ length: 5 }, () => post(`${r.base}/hooks/nope`, '')),
      post(`${r.base}/hooks/b`, '', {}, 'GET'),
    ]);
    const dump = () =>
      ['relay_stats_minute', 'relay_stats_hour', 'relay_latency_minute', 'relay_latency_hour'].map((t) =>
        core!.ctx.sqlite.prepare(`select * from ${t} order by 1, 2, 3, 4`).all(),
      );
    const written = dump();
    expect(written[0]!.length).toBeGreaterThan(2);
    for (const t of ['relay_stats_minute', 'relay_stats_hour', 'relay_latency_minute', 'relay_latency_hour']) core.ctx.sqlite.exec(`delete from ${t}`);
    rebuildRollups(core.ctx.sqlite);
    const rebuilt = dump() as { latency_sum?: number }[][];
    // Sums of floating-point latencies may differ in the last bits by summation order.
    const round = (tables: unknown[][]) => tables.map((rows) => (rows as Record<string, unknown>[]).map((row) => ({ ...row, latency_sum: row.latency_sum === undefined ? undefined : Number((row.latency_sum as number).toFixed(6)) })));
    expect(round(rebuilt)).toEqual(round(written));
  });

  it('latency bins round-trip within 15 %', () => {
    for (const ms of [0.05, 0.3, 1, 7.5, 42, 250, 3000, 60_000]) {
      const up = binUpperMs(latencyBin(ms));
      expect(up).toBeGreaterThanOrEqual(ms * 0.999);
      expect(up).toBeLessThan(ms * 1.15 + 0.01);
    }
    expect(percentileFromBins(new Map(), 95)).toBeNull();
  });
});
