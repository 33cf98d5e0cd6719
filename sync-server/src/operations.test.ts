import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DIALECTS, startTestServer, type TestServer } from './testing/harness.ts';

describe.each(DIALECTS)('operations on %s', (dialect) => {
  let s: TestServer & { cleanup(): Promise<void> };
  let token: string;

  beforeAll(async () => {
    s = await startTestServer(dialect, { config: { rateLimit: { perMember: 5, authFailuresPerIp: 4 } } });
    token = (await s.team()).adminToken;
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('healthz answers ok with no auth; metrics count requests by route pattern and status', async () => {
    expect(await s.req('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    await s.req('GET', '/api/v1/me', { token });
    const m = await fetch(`${s.url}/metrics`);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await m.text();
    expect(text).toMatch(/sync_http_requests_total\{route="\/healthz",method="GET",status="200"\} 1/);
    expect(text).toMatch(/sync_http_requests_total\{route="\/api\/v1\/me\/",method="GET",status="200"\} 1/);
    expect(text).toMatch(/sync_http_request_duration_seconds_bucket\{le="0\.005",route="\/healthz",method="GET"\}/);
  });

  it('a member over the rate limit gets 429 with Retry-After; failed logins are limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await s.req('GET', '/api/v1/templates', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]); // one point went to /me above
    const limited = await s.req('GET', '/api/v1/templates', { token });
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const bad: number[] = [];
    for (let i = 0; i < 6; i++) bad.push((await s.req('GET', '/api/v1/me', { token: 'dst_' + 'y'.repeat(43) })).status);
    expect(bad).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('helmet headers are set and the bearer token never reaches the request log', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const other = await startTestServer(dialect, { log });
    try {
      const t = (await other.team()).adminToken;
      const res = await fetch(`${other.url}/api/v1/me`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-powered-by')).toBeNull();
      const logged = lines.join('');
      expect(logged).toContain('/api/v1/me');
      expect(logged).toContain('[redacted]');
      expect(logged).not.toContain(t);
    } finally {
      await other.cleanup();
    }
  });

  it('healthz is 503 when the database does not answer', async () => {
    const other = await startTestServer(dialect);
    try {
      await other.store.close();
      const res = await other.req('GET', '/healthz');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
    } finally {
      await other.cleanup();
    }
  });
});
