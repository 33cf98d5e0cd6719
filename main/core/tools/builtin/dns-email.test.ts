import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsFixture, type DnsFixture } from '../../testing/fixtures/dns-server.ts';
import { toolHarness, type ToolHarness } from '../../testing/tool-harness.ts';
import { ToolError } from '../types.ts';
import { isAbort } from '../invoke.ts';

let dns: DnsFixture;
let h: ToolHarness;

beforeAll(async () => {
  dns = await startDnsFixture(
    {
      'example.test': {
        A: ['192.0.2.10', '192.0.2.11'],
        AAAA: ['2001:db8::10'],
        MX: [
          { exchange: 'mx2.example.test', priority: 20 },
          { exchange: 'mx1.example.test', priority: 10 },
        ],
        NS: ['ns1.example.test', 'ns2.example.test'],
        TXT: ['v=spf1 -all'],
      },
      'www.example.test': { CNAME: 'example.test' },
      'mailinator.com': { MX: [{ exchange: 'mail.mailinator.com', priority: 1 }] },
      'nomx.test': { A: ['192.0.2.50'] },
    },
    { servfail: ['broken.test'], silent: ['slow.test'] },
  );
  h = await toolHarness();
  await h.core.call('settings.set', { key: 'tools.dns.servers', value: dns.server });
});
afterAll(async () => {
  await h.dispose();
  await dns.close();
});

describe('dns.resolve', () => {
  it('resolves every record type against the configured server and links addresses and hosts', async () => {
    const run = await h.run('dns.resolve', { type: 'domain', value: 'Example.test' });
    expect(run.status).toBe('succeeded');
    const byType = (t: string) => run.entities.filter((e) => e.type === t).map((e) => e.value).sort();
    expect(byType('ip')).toEqual(['192.0.2.10', '192.0.2.11', '2001:db8::10']);
    expect(byType('domain')).toEqual(['example.test', 'mx1.example.test', 'mx2.example.test', 'ns1.example.test', 'ns2.example.test']);
    const out = run.output as { records: { TXT: string[] } };
    expect(out.records.TXT).toEqual(['v=spf1 -all']);
    const links = (await h.core.call('links.list', { investigationId: h.inv })).items;
    const types = links.map((l) => l.type).sort();
    expect(types).toEqual(['mx_for', 'mx_for', 'ns_for', 'ns_for', 'resolves_to', 'resolves_to', 'resolves_to']);
    const ent = run.entities.find((e) => e.value === 'example.test')!;
    expect(ent.properties).toMatchObject({ dns: { txt: ['v=spf1 -all'] } });
    expect(dns.queries.some((q) => q.name === 'example.test' && q.type === 'MX')).toBe(true);
  });

  it('follows a CNAME and reports NXDOMAIN as a finding, not an error', async () => {
    const cname = await h.run('dns.resolve', { type: 'domain', value: 'www.example.test' }, { types: 'CNAME' });
    expect(cname.entities.map((e) => e.value)).toContain('example.test');
    const nx = await h.run('dns.resolve', { type: 'domain', value: 'missing.test' });
    expect(nx.status).toBe('succeeded');
    expect(nx.summary).toContain('NXDOMAIN');
  });

  it('refuses a bad domain as invalid input and writes nothing', async () => {
    const before = await h.counts();
    await expect(h.run('dns.resolve', { type: 'domain', value: 'not a domain' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(h.run('dns.resolve', { type: 'domain', value: 'example.test' }, { types: 'A,SOA' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await h.counts()).toEqual(before);
    const bare = await h.invoke('dns.resolve', { type: 'domain', value: '-bad-.test' });
    expect(bare.ok).toBe(false);
    expect((bare as { error: ToolError }).error.kind).toBe('permanent');
  });

  it('classifies SERVFAIL and timeouts as transient', async () => {
    const fail = await h.invoke('dns.resolve', { type: 'domain', value: 'broken.test' }, { types: 'A' });
    expect(fail.ok).toBe(false);
    expect((fail as { error: ToolError }).error).toBeInstanceOf(ToolError);
    expect((fail as { error: ToolError }).error.kind).toBe('transient');
    const slow = await h.invoke('dns.resolve', { type: 'domain', value: 'slow.test' }, { types: 'A', timeoutMs: 200 });
    expect((slow as { error: ToolError }).error.kind).toBe('transient');
  });

  it('aborts a query that is waiting for an answer', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const r = await h.invoke('dns.resolve', { type: 'domain', value: 'slow.test' }, { timeoutMs: 5000 }, ctrl.signal);
    expect(r.ok).toBe(false);
    expect(isAbort((r as { error: Error }).error)).toBe(true);
  });
});

describe('email.inspect', () => {
  it('reports syntax, MX and the disposable flag, and links the domain and the local part', async () => {
    const run = await h.run('email.inspect', { type: 'email', value: 'John.Doe@example.test' });
    expect(run.output).toMatchObject({ syntax: 'valid', domain: 'example.test', local: 'John.Doe', hasMx: true, mx: ['mx1.example.test', 'mx2.example.test'], disposable: false });
    expect(run.entities.map((e) => `${e.type}:${e.value}`).sort()).toEqual(['domain:example.test', 'email:John.Doe@example.test', 'username:John.Doe']);
    const disposable = await h.run('email.inspect', { type: 'email', value: 'burner@mailinator.com' });
    expect(disposable.output).toMatchObject({ disposable: true, hasMx: true });
    expect(disposable.summary).toContain('disposable');
    const implicit = await h.run('email.inspect', { type: 'email', value: 'x@nomx.test' });
    expect(implicit.output).toMatchObject({ hasMx: false, acceptsMail: true, disposable: false });
    const none = await h.run('email.inspect', { type: 'email', value: 'x@www.example.test' });
    expect(none.output).toMatchObject({ hasMx: false, acceptsMail: false });
    const nx = await h.run('email.inspect', { type: 'email', value: 'x@missing.test' });
    expect(nx.output).toMatchObject({ hasMx: false, acceptsMail: false, nxdomain: true });
    expect(nx.summary).toContain('domain does not exist');
  });

  it('refuses a malformed address and writes nothing', async () => {
    const before = await h.counts();
    for (const bad of ['no-at-sign', 'a@b', 'a..b@example.test', '@example.test']) {
      await expect(h.run('email.inspect', { type: 'email', value: bad })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(await h.counts()).toEqual(before);
  });

  it('classifies a failing DNS server as transient and aborts on the signal', async () => {
    const r = await h.invoke('email.inspect', { type: 'email', value: 'a@broken.test' });
    expect((r as { error: ToolError }).error.kind).toBe('transient');
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const a = await h.invoke('email.inspect', { type: 'email', value: 'a@slow.test' }, { timeoutMs: 5000 }, ctrl.signal);
    expect(isAbort((a as { error: Error }).error)).toBe(true);
  });
});
