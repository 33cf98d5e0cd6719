import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relayCore, post, type TestCore } from '../testing/relay.ts';

let core: TestCore | null = null;
let target: Server | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
  await new Promise<void>((r) => (target ? target.close(() => r()) : r()));
  target = null;
});

/** A "router admin page" on 127.0.0.1 that counts every request it gets. */
async function localTarget(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  target = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>admin</title>');
  });
  await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/admin`, hits: () => hits };
}

async function setup() {
  const r = await relayCore({ actions: true });
  core = r.core;
  await core.startWorkers(['executor']);
  const inv = await core.call('investigations.create', { name: 'Inbound' });
  const ep = await core.call('relay.endpoints.create', { slug: 'in', provider: 'none' });
  return { core, base: r.base, inv: inv.id, ep: ep.id };
}

async function finished(c: TestCore, batchId: string) {
  await vi.waitFor(
    async () => {
      const b = await c.call('batches.get', { id: batchId });
      expect(['completed', 'failed', 'cancelled']).toContain(b.status);
    },
    { timeout: 30_000, interval: 50 },
  );
  return (await c.call('batches.operations', { batchId })).items;
}

async function matchedBatch(c: TestCore, requestId: number): Promise<string> {
  let batchId = '';
  await vi.waitFor(
    async () => {
      const r = await c.call('relay.requests.get', { id: requestId });
      const m = r.ruleMatches[0];
      expect(m?.outcome).toBe('started');
      batchId = m!.batchId!;
    },
    { timeout: 30_000, interval: 50 },
  );
  return batchId;
}

describe('batches started by relay rules run untrusted (SPEC §5)', { timeout: 90_000 }, () => {
  it('cannot reach 127.0.0.1 or 169.254.169.254 nor read a local file; a rule that trusts its sender can', async () => {
    const s = await setup();
    const admin = await localTarget();
    const secret = join(s.core.ctx.dataDir, 'private.jpg');
    writeFileSync(secret, 'not really an image');
    await s.core.call('templates.create', { name: 'probe-url', steps: [{ tool: 'http.probe', input: '{{url}}', inputType: 'url' }] });
    await s.core.call('templates.create', { name: 'exif', steps: [{ tool: 'image.exif', input: '{{image}}', inputType: 'image' }] });
    await s.core.call('relay.rules.create', { endpointId: s.ep, name: 'probe', matchPath: '$.url', template: 'probe-url', investigationId: s.inv, inputs: { url: '$.url' } });
    await s.core.call('relay.rules.create', { endpointId: s.ep, name: 'image', matchPath: '$.image', template: 'exif', investigationId: s.inv, inputs: { image: '$.image' } });

    for (const url of [admin.url, 'http://169.254.169.254/latest/meta-data/', 'http://localhost:1/x']) {
      const res = await post(`${s.base}/hooks/in`, JSON.stringify({ url }), { 'content-type': 'application/json' });
      const batchId = await matchedBatch(s.core, (res.json as { id: number }).id);
      expect((await s.core.call('batches.get', { id: batchId })).options.untrusted).toBe(true);
      const [op] = await finished(s.core, batchId);
      expect(op, url).toMatchObject({ status: 'failed', errorKind: 'permanent', error: expect.stringMatching(/refused to connect to .*relay rule/) });
    }
    const img = await post(`${s.base}/hooks/in`, JSON.stringify({ image: secret }), { 'content-type': 'application/json' });
    const [exifOp] = await finished(s.core, await matchedBatch(s.core, (img.json as { id: number }).id));
    expect(exifOp).toMatchObject({ status: 'failed', error: expect.stringMatching(/local path: .*relay rule/) });
    expect(admin.hits()).toBe(0);

    // The same template from a rule that trusts its sender reaches the local page.
    const ep2 = await s.core.call('relay.endpoints.create', { slug: 'trusted', provider: 'none' });
    const rule = await s.core.call('relay.rules.create', { endpointId: ep2.id, name: 'trusted probe', matchPath: '$.url', template: 'probe-url', investigationId: s.inv, inputs: { url: '$.url' }, trusted: true });
    expect(rule.trusted).toBe(true);
    const ok = await post(`${s.base}/hooks/trusted`, JSON.stringify({ url: admin.url }), { 'content-type': 'application/json' });
    const [okOp] = await finished(s.core, await matchedBatch(s.core, (ok.json as { id: number }).id));
    expect(okOp).toMatchObject({ status: 'completed' });
    expect(admin.hits()).toBe(1);
  });

  it('a user batch is unaffected: the investigator may probe the local network', async () => {
    const s = await setup();
    const admin = await localTarget();
    const b = await s.core.call('batches.create', { investigationId: s.inv, tool: 'http.probe', source: { kind: 'list', values: [admin.url] } });
    expect(b.options.untrusted).toBe(false);
    const [op] = await finished(s.core, b.id);
    expect(op).toMatchObject({ status: 'completed' });
    expect(admin.hits()).toBe(1);
  });
});
