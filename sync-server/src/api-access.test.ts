import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from './testing/harness.ts';

/**
 * Every /api/v1 route, table-driven: who may call it and what another team's id answers.
 * Runs the same on SQLite and on the real PostgreSQL (a fresh database per run).
 */
describe.each(DIALECTS)('access control on %s', (dialect) => {
  let s: TestServer & { cleanup(): Promise<void> };
  let a: { teamId: string; adminToken: string; adminId: string };
  let memberToken: string;
  let memberId: string;
  let revokedToken: string;
  let foreign: { adminToken: string; memberId: string; templateId: string };
  let ownTemplateId: string;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    a = await s.team('alpha');
    const m = await s.req('POST', '/api/v1/members', { token: a.adminToken, body: { name: 'mia', role: 'member' } });
    memberToken = m.body.token;
    memberId = m.body.member.id;
    const r = await s.req('POST', '/api/v1/members', { token: a.adminToken, body: { name: 'rex', role: 'member' } });
    revokedToken = r.body.token;
    expect((await s.req('GET', '/api/v1/me', { token: revokedToken })).status).toBe(200);
    expect((await s.req('DELETE', `/api/v1/members/${r.body.member.id}`, { token: a.adminToken })).status).toBe(200);
    ownTemplateId = (await s.req('POST', '/api/v1/templates', { token: memberToken, body: { name: 'own', definition: { steps: [] } } })).body.id;

    const b = await s.team('beta');
    const bm = await s.req('POST', '/api/v1/members', { token: b.adminToken, body: { name: 'bob', role: 'member' } });
    const bt = await s.req('POST', '/api/v1/templates', { token: b.adminToken, body: { name: 'theirs', definition: { steps: [] } } });
    foreign = { adminToken: b.adminToken, memberId: bm.body.member.id, templateId: bt.body.id };
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  interface Route {
    method: string;
    path: () => string;
    body?: unknown;
    headers?: Record<string, string>;
    admin?: boolean;
    /** The same route with another team's id in it. */
    foreignPath?: () => string;
  }
  const routes: Route[] = [
    { method: 'GET', path: () => '/api/v1/me' },
    { method: 'GET', path: () => '/api/v1/members' },
    { method: 'POST', path: () => '/api/v1/members', body: { name: 'n', role: 'member' }, admin: true },
    { method: 'DELETE', path: () => `/api/v1/members/${memberId}`, admin: true, foreignPath: () => `/api/v1/members/${foreign.memberId}` },
    { method: 'GET', path: () => '/api/v1/templates?since=0' },
    { method: 'POST', path: () => '/api/v1/templates', body: { name: 't', definition: {} } },
    { method: 'PUT', path: () => `/api/v1/templates/${ownTemplateId}`, body: { name: 't', definition: {} }, headers: { 'if-match': '1' }, foreignPath: () => `/api/v1/templates/${foreign.templateId}` },
    { method: 'DELETE', path: () => `/api/v1/templates/${ownTemplateId}`, headers: { 'if-match': '1' }, foreignPath: () => `/api/v1/templates/${foreign.templateId}` },
    { method: 'GET', path: () => '/api/v1/audit?since=0', admin: true },
  ];

  it.each(routes)('$method $path: no token, a wrong token and a revoked token are 401', async (r) => {
    for (const token of [null, 'dst_' + 'x'.repeat(43), 'not-even-a-token', revokedToken]) {
      const res = await s.req(r.method, r.path(), { token, body: r.body, headers: r.headers });
      expect(res.status, `token ${String(token).slice(0, 8)}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it.each(routes.filter((r) => r.admin))('$method $path: a member is 403, and nothing changes', async (r) => {
    const before = await s.req('GET', '/api/v1/members', { token: a.adminToken });
    const res = await s.req(r.method, r.path(), { token: memberToken, body: r.body, headers: r.headers });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await s.req('GET', '/api/v1/members', { token: a.adminToken })).body).toEqual(before.body);
  });

  it.each(routes.filter((r) => r.foreignPath))('$method with another team\'s id is 404 and leaves it alone', async (r) => {
    const res = await s.req(r.method, r.foreignPath!(), { token: a.adminToken, body: r.body, headers: r.headers });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const theirs = await s.req('GET', '/api/v1/templates', { token: foreign.adminToken });
    expect(theirs.body.items.map((t: { id: string; version: number }) => [t.id, t.version])).toEqual([[foreign.templateId, 1]]);
    const members = await s.req('GET', '/api/v1/members', { token: foreign.adminToken });
    expect(members.body.items.find((m: { id: string }) => m.id === foreign.memberId).revoked_at).toBeNull();
  });

  it('lists and feeds show only the caller\'s team', async () => {
    const feed = await s.req('GET', '/api/v1/templates', { token: memberToken });
    expect(feed.body.items.map((t: { name: string }) => t.name)).not.toContain('theirs');
    const members = await s.req('GET', '/api/v1/members', { token: memberToken });
    expect(members.body.items.map((m: { name: string }) => m.name).sort()).toEqual(['admin', 'mia', 'rex']);
    const audit = await s.req('GET', '/api/v1/audit', { token: a.adminToken });
    expect(audit.body.items.every((e: { target: { id: string } }) => e.target.id !== foreign.templateId)).toBe(true);
  });

  it('me names the caller; a revoked member\'s token stops at once; the last admin cannot be revoked', async () => {
    const me = await s.req('GET', '/api/v1/me', { token: memberToken });
    expect(me.body).toMatchObject({ team: { id: a.teamId, name: 'alpha' }, member: { id: memberId, name: 'mia', role: 'member' } });
    expect(me.body.member.last_used_at).not.toBeNull();
    const last = await s.req('DELETE', `/api/v1/members/${a.adminId}`, { token: a.adminToken });
    expect(last.status).toBe(409);
    expect((await s.req('GET', '/api/v1/me', { token: a.adminToken })).status).toBe(200);
  });

  it('bad input is 400 invalid_input and creates nothing', async () => {
    for (const body of [{ name: '', role: 'member' }, { name: 'x', role: 'owner' }, 'not json{']) {
      const res = await s.req('POST', '/api/v1/members', { token: a.adminToken, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    const members = await s.req('GET', '/api/v1/members', { token: a.adminToken });
    expect(members.body.items).toHaveLength(3);
  });

  it('every mutation is in the audit log, oldest first, with who did it', async () => {
    const audit = await s.req('GET', '/api/v1/audit?since=0&limit=3', { token: a.adminToken });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['team.create', 'member.create', 'member.create']);
    expect(audit.body.more).toBe(true);
    const rest = await s.req('GET', `/api/v1/audit?since=${audit.body.cursor}`, { token: a.adminToken });
    expect(rest.body.items.map((e: { action: string }) => e.action)).toEqual(['member.create', 'member.revoke', 'template.create']);
    expect(rest.body.items[1]).toMatchObject({ member: { id: a.adminId, name: 'admin' }, target: { type: 'member' } });
  });
});
