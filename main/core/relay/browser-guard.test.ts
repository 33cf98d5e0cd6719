import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureServer, post, relayCore, type TestCore } from '../testing/relay.ts';
import { noopTool } from '../testing/batch-tools.ts';

let core: TestCore;
let base: string;
let target: Awaited<ReturnType<typeof captureServer>>;
beforeEach(async () => {
  ({ core, base } = await relayCore({ actions: true }));
  target = await captureServer();
});
afterEach(async () => {
  await core.dispose();
  await target.close();
});

const rows = () => core.ctx.db.selectFrom('relay_requests').selectAll().orderBy('id').execute();

/** A `none` endpoint that forwards and runs a rule: what a page would love to drive. */
async function openEndpoint() {
  core.ctx.tools.register(noopTool);
  const inv = await core.call('investigations.create', { name: 'pages' });
  await core.call('templates.create', { name: 'lead', steps: [{ tool: 'test.noop', input: '{{email}}', inputType: 'email' }] });
  const ep = await core.call('relay.endpoints.create', { slug: 'open', provider: 'none', forwardTo: target.url });
  await core.call('relay.rules.create', { endpointId: ep.id, name: 'any', matchPath: '$.email', template: 'lead', investigationId: inv.id, inputs: { email: '$.email' } });
  return `${base}/hooks/open`;
}

describe('relay: requests a web browser sends are refused', () => {
  it('a cross-origin POST (Origin, or Sec-Fetch-Site cross-site/same-site) is 403, logged without its body, and forwards and starts nothing', async () => {
    const url = await openEndpoint();
    // What the UI's "unsigned and has rules" warning is drawn from.
    expect(await core.call('relay.endpoints.list', {})).toMatchObject([{ slug: 'open', provider: 'none', ruleCount: 1 }]);
    const body = JSON.stringify({ email: 'victim@example.org' });
    const tries: Record<string, string>[] = [
      { origin: 'https://evil.example', 'content-type': 'text/plain' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of tries) {
      const res = await post(url, body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.json).toMatchObject({ error: 'browser_request' });
    }
    await core.relay.actions.drain();
    expect(target.seen).toEqual([]);
    expect((await core.call('batches.list', {})).items).toEqual([]);
    const logged = await rows();
    expect(logged.map((r) => [r.status, r.body])).toEqual(tries.map(() => [403, null]));
    expect(await core.ctx.db.selectFrom('relay_jobs').selectAll().execute()).toEqual([]);

    // A webhook sender (no Origin, no Sec-Fetch-Site) still gets through, forwarded and routed.
    expect((await post(url, body, { 'content-type': 'application/json' })).status).toBe(202);
    await core.relay.actions.drain();
    expect(target.seen).toHaveLength(1);
    expect((await core.call('batches.list', {})).items).toHaveLength(1);
  });

  it('keeps only the first 4 KiB of a rejected body (with its true size)', async () => {
    await core.call('relay.endpoints.create', { slug: 'gh', provider: 'github', secret: 's3cret' });
    const big = 'x'.repeat(50_000);
    expect((await post(`${base}/hooks/gh`, big, { 'x-hub-signature-256': 'sha256=00' })).status).toBe(401);
    expect((await post(`${base}/hooks/nope`, big)).status).toBe(404);
    expect((await post(`${base}/hooks/gh`, big, {}, 'PUT')).status).toBe(405);
    for (const r of await rows()) {
      expect(r.body!.length).toBe(4096);
      expect(r.size).toBe(50_000);
    }
  });

  it('rate-limits per source address: over the limit is 429 with Retry-After and is not logged', async () => {
    await core.call('settings.set', { key: 'relay.rateLimit.perSource', value: 3 });
    await core.relay.receiver.stop();
    await core.relay.receiver.start();
    base = core.relay.receiver.url!;
    const url = await openEndpoint();
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < 5; i++) {
      const r = await post(url, '{}', { 'content-type': 'application/json' });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers['retry-after'];
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(await rows()).toHaveLength(3);
  });

  it('prunes the log by a byte budget as well as rows and age', async () => {
    await core.call('relay.endpoints.create', { slug: 'bulk', provider: 'none' });
    const chunk = 'y'.repeat(100 * 1024);
    for (let i = 0; i < 14; i++) expect((await post(`${base}/hooks/bulk`, chunk)).status).toBe(202);
    // 1 MiB holds ten of these 100 KiB bodies (and their headers), not eleven.
    await core.call('settings.set', { key: 'relay.retention.bytes', value: 1_048_576 });
    expect(await core.relay.applyRetention()).toEqual({ deleted: 4 });
    const left = await rows();
    expect(left).toHaveLength(10);
    expect(left[0]!.id).toBe(5);
  });
});
