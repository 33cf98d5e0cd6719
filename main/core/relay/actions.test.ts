import { afterEach, describe, expect, it } from 'vitest';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { relayCore, post, captureServer, type TestCore } from '../testing/relay.ts';
import { tempDir } from '../testing/temp-core.ts';
import { noopTool } from '../testing/batch-tools.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(opts: { actions?: boolean; dataDir?: string } = {}) {
  const r = await relayCore(opts);
  cleanup.push(() => r.core.close());
  return r;
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

const binary = Buffer.concat([Buffer.from('{"data":{"email":"lead@example.org"},"type":"lead.created"}'), Buffer.from([0xff, 0x00, 0xfe])]);

describe('relay actions', () => {
  it('forwards the original bytes, method and headers to the target and records the result', async () => {
    const target = await captureServer([200]);
    cleanup.push(target.close);
    const { core, base } = await setup({ actions: true });
    await core.call('relay.endpoints.create', { slug: 'fw', provider: 'github', secret: 's', forwardTo: target.url });
    const headers = ['X-Hub-Signature-256', await octokitSign('s', binary.toString('latin1')), 'X-GitHub-Delivery', 'd1', 'X-Custom-CASE', 'Mixed Value', 'Authorization', 'Basic dXNlcjpwYXNz', 'X-Multi', 'a', 'X-Multi', 'b'];
    // octokit signs a string; sign the exact bytes ourselves for binary bodies.
    const { createHmac } = await import('node:crypto');
    headers[1] = 'sha256=' + createHmac('sha256', 's').update(binary).digest('hex');
    const res = await post(`${base}/hooks/fw`, binary, headers);
    expect(res.status).toBe(202);
    await core.relay.actions.drain();
    expect(target.seen).toHaveLength(1);
    const got = target.seen[0]!;
    expect(got.method).toBe('POST');
    expect(got.body.equals(binary)).toBe(true);
    const sent = pairs(got.rawHeaders);
    for (const [n, v] of pairs(headers)) expect(sent).toContainEqual([n, v]);
    const detail = await core.call('relay.requests.get', { id: res.json!.id as number });
    expect(detail.forwardState).toBe('delivered');
    expect(detail.forwards).toMatchObject([{ attempt: 1, status: 200, url: target.url, responseExcerpt: 'target says 200', error: null }]);
  });

  it('retries transient failures and gives up on permanent ones', async () => {
    const flaky = await captureServer([503, 200]);
    const gone = await captureServer([410]);
    cleanup.push(flaky.close, gone.close);
    const { core, base } = await setup({ actions: true });
    await core.call('relay.endpoints.create', { slug: 'flaky', provider: 'none', forwardTo: flaky.url });
    await core.call('relay.endpoints.create', { slug: 'gone', provider: 'none', forwardTo: gone.url });
    const a = await post(`${base}/hooks/flaky`, 'x');
    const b = await post(`${base}/hooks/gone`, 'y');
    await core.relay.actions.drain();
    // The retry waits for its backoff; make it due now rather than sleeping in the test.
    core.ctx.sqlite.prepare(`update relay_jobs set next_at = 0 where status = 'pending'`).run();
    await core.relay.actions.drain();
    const da = await core.call('relay.requests.get', { id: a.json!.id as number });
    expect(da.forwards.map((f) => f.status)).toEqual([503, 200]);
    expect(da.forwardState).toBe('delivered');
    const db = await core.call('relay.requests.get', { id: b.json!.id as number });
    expect(db.forwards.map((f) => f.status)).toEqual([410]);
    expect(db.forwardState).toBe('failed');
  });

  it('keeps pending forwards across a restart and delivers them when the worker runs again', async () => {
    const target = await captureServer([200]);
    cleanup.push(target.close);
    const dataDir = tempDir();
    const first = await relayCore({ dataDir });
    await first.core.call('relay.endpoints.create', { slug: 'later', provider: 'none', forwardTo: target.url });
    const res = await post(`${first.base}/hooks/later`, 'durable');
    expect(res.status).toBe(202);
    await first.core.close();
    expect(target.seen).toHaveLength(0);
    const second = await setup({ dataDir, actions: true });
    await second.core.relay.actions.drain();
    expect(target.seen.map((s) => s.body.toString())).toEqual(['durable']);
    await second.core.dispose();
  });

  it('replays a logged request to the forward target and back through verification', async () => {
    const target = await captureServer([200]);
    cleanup.push(target.close);
    const { core, base } = await setup();
    const ep = await core.call('relay.endpoints.create', { slug: 'rp', provider: 'github', secret: 'k', forwardTo: target.url });
    const body = '{"n":1}';
    const res = await post(`${base}/hooks/rp`, body, { 'X-Hub-Signature-256': await octokitSign('k', body), 'X-GitHub-Delivery': 'once', 'Cookie': 'session=abc' });
    const id = res.json!.id as number;
    const fwd = await core.call('relay.replay', { id, target: 'forward' });
    expect(fwd).toMatchObject({ target: 'forward', attempt: { status: 200, attempt: 1 } });
    expect(target.seen[0]!.body.toString()).toBe(body);
    // The redacted cookie is restored from its sealed copy for the replay.
    expect(pairs(target.seen[0]!.rawHeaders)).toContainEqual(['Cookie', 'session=abc']);

    const again = await core.call('relay.replay', { id, target: 'pipeline' });
    expect(again).toMatchObject({ target: 'pipeline', request: { replayOf: id, status: 202, verification: 'verified', duplicateOf: null } });
    // With the secret rotated, the same bytes no longer verify.
    await core.call('relay.endpoints.update', { id: ep.id, secret: 'rotated' });
    const bad = await core.call('relay.replay', { id, target: 'pipeline' });
    expect(bad).toMatchObject({ request: { status: 401, verification: 'invalid_signature' } });
    await expect(core.call('relay.replay', { id: 99_999, target: 'forward' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a routing rule match starts the batch template with the inputs its JSONPaths extract', async () => {
    const { core, base } = await setup({ actions: true });
    core.ctx.tools.register(noopTool);
    const inv = await core.call('investigations.create', { name: 'Leads' });
    await core.call('templates.create', { name: 'email-template', steps: [{ tool: 'test.noop', input: '{{email}}', inputType: 'email' }] });
    const ep = await core.call('relay.endpoints.create', { slug: 'leads', provider: 'none', options: { eventHeader: 'x-event' } });
    await core.call('relay.rules.create', {
      endpointId: ep.id,
      name: 'new lead',
      eventType: 'lead.*',
      matchPath: '$.data.email',
      template: 'email-template',
      investigationId: inv.id,
      inputs: { email: '$.data.email' },
    });
    await core.call('relay.rules.create', { endpointId: ep.id, name: 'never', matchPath: '$.nothing', template: 'email-template', investigationId: inv.id, inputs: { email: '$.data.email' } });
    await core.call('relay.rules.create', { endpointId: ep.id, name: 'lead without email', eventType: 'lead.created', template: 'email-template', investigationId: inv.id, inputs: { email: '$.data.contact.email' } });
    // Bad rules are refused when made, not discovered when a request arrives.
    await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', eventType: 'a', template: 'no-such-template', investigationId: inv.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', eventType: 'a', template: 'email-template', investigationId: 'inv_missing', inputs: { email: '$.e' } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', eventType: 'a', template: 'email-template', investigationId: inv.id })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('{{email}}') });
    await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', matchPath: 'data.email', template: 'email-template', investigationId: inv.id, inputs: { email: '$.e' } })).rejects.toMatchObject({ code: 'invalid_input' });
    const hit = await post(`${base}/hooks/leads`, JSON.stringify({ data: { email: 'lead@example.org' } }), { 'x-event': 'lead.created' });
    const miss = await post(`${base}/hooks/leads`, JSON.stringify({ data: { email: 'x@example.org' } }), { 'x-event': 'order.paid' });
    await core.relay.actions.drain();
    const d = await core.call('relay.requests.get', { id: hit.json!.id as number });
    expect(d.eventType).toBe('lead.created');
    expect(d.ruleMatches.map((m) => [m.ruleName, m.outcome])).toEqual([
      ['new lead', 'started'],
      ['lead without email', 'failed'],
    ]);
    const started = d.ruleMatches[0]!;
    expect(started.inputs).toEqual({ email: 'lead@example.org' });
    const batch = await core.call('batches.get', { id: started.batchId! });
    expect(batch).toMatchObject({ investigationId: inv.id, templateName: 'email-template', counts: { total: 1 } });
    const ops = await core.call('batches.operations', { batchId: batch.id });
    expect(ops.items.map((o) => [o.tool, o.inputType, o.inputValue])).toEqual([['test.noop', 'email', 'lead@example.org']]);
    expect(d.ruleMatches[1]!.error).toBe('inputs not found in the body: email');
    expect((await core.call('relay.requests.get', { id: miss.json!.id as number })).ruleMatches).toEqual([]);

    // Without an executor (a core built without one), the match is still recorded, with that outcome.
    core.relay.useExecutor(() => undefined);
    const later = await post(`${base}/hooks/leads`, JSON.stringify({ data: { email: 'b@example.org' } }), { 'x-event': 'lead.created' });
    await core.relay.actions.drain();
    const dl = await core.call('relay.requests.get', { id: later.json!.id as number });
    expect(dl.ruleMatches[0]).toMatchObject({ ruleName: 'new lead', outcome: 'executor_unavailable', batchId: null, inputs: { email: 'b@example.org' } });
    await expect(core.call('relay.rules.create', { endpointId: ep.id, name: 'x', template: 't', investigationId: inv.id })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

export type { TestCore };
