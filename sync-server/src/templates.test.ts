import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestServer, type TestServer } from './testing/harness.ts';
import { createTemplate, templateFeed } from './templates-store.ts';
import type { Caller } from './context.ts';
import { secondReader } from './testing/reader.ts';

describe.each(DIALECTS)('templates API on %s', (dialect) => {
  let s: TestServer & { cleanup(): Promise<void> };
  let token: string;
  let caller: Caller;
  const def = (n: number) => ({ description: `v${n}`, steps: [{ tool: 'username.sites', input: '{{username}}', params: {} }], followUps: [], maxDepth: 1 });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const t = await s.team('alpha');
    token = t.adminToken;
    caller = { teamId: t.teamId, teamName: 'alpha', memberId: t.adminId, memberName: 'admin', role: 'admin' };
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('create is 201 version 1; a retried create with the same client id answers the same row and makes no second change', async () => {
    const body = { id: 'tpl_client1', name: 'person', definition: def(1) };
    const first = await s.req('POST', '/api/v1/templates', { token, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'tpl_client1', name: 'person', version: 1, deleted: false, definition: def(1), updated_by: 'admin' });
    const retry = await s.req('POST', '/api/v1/templates', { token, body });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const feed = await s.req('GET', '/api/v1/templates?since=0', { token });
    expect(feed.body.items.filter((t: { id: string }) => t.id === 'tpl_client1')).toHaveLength(1);
    // The same id with something else is a conflict carrying the current row.
    const other = await s.req('POST', '/api/v1/templates', { token, body: { ...body, name: 'someone else' } });
    expect(other.status).toBe(409);
    expect(other.body.current).toEqual(first.body);
  });

  it('PUT needs If-Match (428), refuses a stale version with the current row (409), and bumps the version', async () => {
    const none = await s.req('PUT', '/api/v1/templates/tpl_client1', { token, body: { name: 'person', definition: def(2) } });
    expect(none.status).toBe(428);
    expect(none.body.error.code).toBe('precondition_required');
    const ok = await s.req('PUT', '/api/v1/templates/tpl_client1', { token, body: { name: 'person', definition: def(2) }, headers: { 'if-match': '1' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, definition: def(2) });
    const stale = await s.req('PUT', '/api/v1/templates/tpl_client1', { token, body: { name: 'person', definition: def(3) }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'conflict' }, current: { version: 2, definition: def(2) } });
    const bad = await s.req('PUT', '/api/v1/templates/tpl_client1', { token, body: { name: 'person', definition: def(3) }, headers: { 'if-match': 'latest' } });
    expect(bad.status).toBe(400);
    expect((await s.req('PUT', '/api/v1/templates/nope', { token, body: { name: 'x', definition: {} }, headers: { 'if-match': '1' } })).status).toBe(404);
    expect((await s.req('PUT', '/api/v1/templates/tpl_client1', { token, body: { name: '', definition: [] }, headers: { 'if-match': '2' } })).status).toBe(400);
  });

  it('DELETE needs If-Match and leaves a tombstone in the feed; a change to a tombstone is a conflict', async () => {
    expect((await s.req('DELETE', '/api/v1/templates/tpl_client1', { token })).status).toBe(428);
    const before = await s.req('GET', '/api/v1/templates?since=0', { token });
    const del = await s.req('DELETE', '/api/v1/templates/tpl_client1', { token, headers: { 'if-match': '2' } });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: 'tpl_client1', version: 3, deleted: true, definition: null });
    const after = await s.req('GET', `/api/v1/templates?since=${before.body.cursor}`, { token });
    expect(after.body.items).toEqual([del.body]);
    const revive = await s.req('PUT', '/api/v1/templates/tpl_client1', { token, body: { name: 'person', definition: def(4) }, headers: { 'if-match': '3' } });
    expect(revive.status).toBe(409);
    expect(revive.body.current.deleted).toBe(true);
  });

  it('the feed pages oldest first with `more`, each template once at its latest change', async () => {
    const t2 = await s.team('paging');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await s.req('POST', '/api/v1/templates', { token: t2.adminToken, body: { name: `t${i}`, definition: def(i) } })).body.id);
    await s.req('PUT', `/api/v1/templates/${ids[0]}`, { token: t2.adminToken, body: { name: 't0', definition: def(9) }, headers: { 'if-match': '1' } });
    const seen: string[] = [];
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const page = await s.req('GET', `/api/v1/templates?since=${cursor}&limit=3`, { token: t2.adminToken });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((t: { name: string; version: number }) => `${t.name}@${t.version}`));
      cursor = page.body.cursor;
      pages++;
      if (!page.body.more) break;
    }
    expect(seen).toEqual(['t1@1', 't2@1', 't3@1', 't4@1', 't5@1', 't6@1', 't0@2']);
    expect(pages).toBe(3);
    const empty = await s.req('GET', `/api/v1/templates?since=${cursor}`, { token: t2.adminToken });
    expect(empty.body).toEqual({ items: [], cursor, more: false });
    for (const q of ['since=-1', 'since=abc', 'limit=0', 'limit=100000']) expect((await s.req('GET', `/api/v1/templates?${q}`, { token: t2.adminToken })).status).toBe(400);
  });

  it('cursor: a change allocated later cannot commit before an earlier one, so a pull between and after misses nothing', async () => {
    const t3 = await s.team('race');
    const c3: Caller = { ...caller, teamId: t3.teamId };
    // Pulls come through another connection, as they would from another instance.
    const reader = secondReader(s);
    try {
      const base = await templateFeed(reader.db, t3.teamId, 0, 100);
      let releaseFirst!: () => void;
      const held = new Promise<void>((r) => (releaseFirst = r));
      let firstSeq = 0;
      let allocated!: () => void;
      const firstAllocated = new Promise<void>((r) => (allocated = r));
      const first = createTemplate(s.store.db, c3, { name: 'first', definition: {} }, Date.now(), async (seq) => {
        firstSeq = seq;
        allocated();
        await held;
      });
      await firstAllocated;
      // The second change starts while the first is uncommitted and tries to commit at once.
      let secondSeq = 0;
      let secondCommitted = false;
      const second = createTemplate(s.store.db, c3, { name: 'second', definition: {} }, Date.now(), async (seq) => {
        secondSeq = seq;
      }).then(() => {
        secondCommitted = true;
      });
      // A pull while both are in flight sees neither, so its cursor cannot move past the first.
      const between = await templateFeed(reader.db, t3.teamId, Number(base.cursor), 100);
      expect(between.items).toEqual([]);
      expect(secondCommitted).toBe(false);
      releaseFirst();
      await first;
      await second;
      expect(secondSeq).toBeGreaterThan(firstSeq);
      const after = await templateFeed(reader.db, t3.teamId, Number(between.cursor), 100);
      expect(after.items.map((t) => t.name)).toEqual(['first', 'second']);
    } finally {
      await reader.close();
    }
  });

  it('413 over the body limit; 400 on a definition that is not an object', async () => {
    const big = { name: 'big', definition: { blob: 'x'.repeat(1024 * 1024 + 10) } };
    const res = await s.req('POST', '/api/v1/templates', { token, body: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect((await s.req('POST', '/api/v1/templates', { token, body: { name: 'x', definition: 'text' } })).status).toBe(400);
    expect((await s.req('POST', '/api/v1/templates', { token, body: { id: '../etc', name: 'x', definition: {} } })).status).toBe(400);
  });
});
