import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRdapFixture, type RdapFixture } from '../../testing/fixtures/rdap-server.ts';
import { toolHarness, type ToolHarness } from '../../testing/tool-harness.ts';
import { ToolError } from '../types.ts';
import { isAbort } from '../invoke.ts';
import { closeHttpAgents } from '../http.ts';

let rdap: RdapFixture;
let h: ToolHarness;

beforeAll(async () => {
  rdap = await startRdapFixture();
  h = await toolHarness();
  await h.core.call('settings.set', { key: 'tools.rdap.baseUrl', value: rdap.url });
});
afterAll(async () => {
  await h.dispose();
  await closeHttpAgents();
  await rdap.close();
});

describe('rdap.lookup', () => {
  it('reads registrar, registrant organisation, dates and name servers of a domain (following the bootstrap redirect)', async () => {
    const run = await h.run('rdap.lookup', { type: 'domain', value: 'example.test' });
    expect(run.status).toBe('succeeded');
    expect(run.output).toMatchObject({
      registrar: 'Fixture Registrar, Inc.',
      registrarIanaId: '9999',
      registrant: 'Example Holdings Ltd',
      registered: '2001-03-15T10:00:00Z',
      expires: '2030-03-15T10:00:00Z',
      nameservers: ['ns1.example-dns.test', 'ns2.example-dns.test'],
      url: `${rdap.url}/registry/domain/example.test`,
    });
    const values = run.entities.map((e) => `${e.type}:${e.value}`).sort();
    expect(values).toEqual([
      'domain:example.test',
      'domain:ns1.example-dns.test',
      'domain:ns2.example-dns.test',
      'email:hostmaster@example.test',
      'organization:Example Holdings Ltd',
      'organization:Fixture Registrar, Inc.',
    ]);
    const reg = run.entities.find((e) => e.value === 'Fixture Registrar, Inc.')!;
    expect(reg.evidence).toMatchObject({ httpStatus: 200, finalUrl: `${rdap.url}/registry/domain/example.test` });
    expect(reg.evidence!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const links = (await h.core.call('links.list', { investigationId: h.inv })).items.map((l) => l.type).sort();
    expect(links).toEqual(['has_email', 'ns_for', 'ns_for', 'registered_by', 'registered_by']);
  });

  it('looks up the network of an IP address, and reports an unknown domain without failing', async () => {
    const ip = await h.run('rdap.lookup', { type: 'ip', value: '192.0.2.77' });
    expect(ip.output).toMatchObject({ registrant: 'IANA Documentation', network: { start: '192.0.2.0', end: '192.0.2.255', name: 'TEST-NET-1' } });
    const unknown = await h.run('rdap.lookup', { type: 'domain', value: 'unregistered.test' });
    expect(unknown).toMatchObject({ status: 'succeeded', entityCount: 0 });
    expect(unknown.output).toMatchObject({ found: false });
  });

  it('refuses bad input and writes nothing; a non-JSON answer is a permanent failure', async () => {
    const before = await h.counts();
    await expect(h.run('rdap.lookup', { type: 'ip', value: '999.1.1.1' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('rdap.lookup', { type: 'domain', value: 'example.test' }, { baseUrl: 'not a url' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.counts()).toEqual(before);
    const garbage = await h.invoke('rdap.lookup', { type: 'domain', value: 'garbage.test' });
    expect((garbage as { error: ToolError }).error.kind).toBe('permanent');
  });

  it('classifies 429 (with Retry-After), 503 and a refused connection as transient', async () => {
    const limited = await h.invoke('rdap.lookup', { type: 'domain', value: 'ratelimited.test' });
    expect((limited as { error: ToolError }).error).toMatchObject({ kind: 'transient', httpStatus: 429, retryAfterMs: 30_000 });
    const down = await h.invoke('rdap.lookup', { type: 'domain', value: 'down.test' });
    expect((down as { error: ToolError }).error).toMatchObject({ kind: 'transient', httpStatus: 503 });
    const refused = await h.invoke('rdap.lookup', { type: 'domain', value: 'example.test' }, { baseUrl: 'http://127.0.0.1:1' });
    expect((refused as { error: ToolError }).error).toMatchObject({ kind: 'transient' });
    // Recorded through the core, the run says so.
    const run = await h.run('rdap.lookup', { type: 'domain', value: 'down.test' });
    expect(run).toMatchObject({ status: 'failed', errorKind: 'transient' });
  });

  it('aborts a request in flight', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const r = await h.invoke('rdap.lookup', { type: 'domain', value: 'slow.test' }, {}, ctrl.signal);
    expect(isAbort((r as { error: Error }).error)).toBe(true);
  });
});
