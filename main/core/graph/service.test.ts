import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempCore } from '../testing/temp-core.ts';
import { GRAPH_LIMIT } from '../../../preload/contract/graph.ts';

type Core = Awaited<ReturnType<typeof tempCore>>;
let core: Core;
let inv: string;
beforeEach(async () => {
  core = await tempCore();
  inv = (await core.call('investigations.create', { name: 'Graph' })).id;
});
afterEach(async () => {
  await core.dispose();
});

async function add(type: 'username' | 'email' | 'domain' | 'account', value: string, label?: string) {
  return (await core.call('entities.add', { investigationId: inv, type, value, label })).entity;
}

describe('graph.get', () => {
  it('returns every entity as a node and every link as an edge, with only the drawing fields', async () => {
    const u = await add('username', 'alice');
    const a = await add('account', 'https://github.com/alice', 'GitHub');
    const e = await add('email', 'alice@example.org');
    const l1 = (await core.call('links.add', { investigationId: inv, sourceId: u.id, targetId: a.id, type: 'has_account' })).link;
    const l2 = (await core.call('links.add', { investigationId: inv, sourceId: e.id, targetId: u.id, type: 'has_username' })).link;

    const g = await core.call('graph.get', { investigationId: inv });
    expect(g.nodes).toEqual([
      { id: u.id, type: 'username', value: 'alice', label: null },
      { id: a.id, type: 'account', value: 'https://github.com/alice', label: 'GitHub' },
      { id: e.id, type: 'email', value: 'alice@example.org', label: null },
    ]);
    expect(g.edges.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [
        { id: l1.id, source: u.id, target: a.id, type: 'has_account' },
        { id: l2.id, source: e.id, target: u.id, type: 'has_username' },
      ].sort((x, y) => x.id.localeCompare(y.id)),
    );
    expect(g).toMatchObject({ totalNodes: 3, totalEdges: 2, truncated: false });
  });

  it('filters by type and drops the links that would lose an end', async () => {
    const u = await add('username', 'bob');
    const a = await add('account', 'https://x.test/bob');
    const d = await add('domain', 'x.test');
    await core.call('links.add', { investigationId: inv, sourceId: u.id, targetId: a.id, type: 'has_account' });
    await core.call('links.add', { investigationId: inv, sourceId: a.id, targetId: d.id, type: 'related' });

    const g = await core.call('graph.get', { investigationId: inv, types: ['account', 'domain'] });
    expect(g.nodes.map((n) => n.id).sort()).toEqual([a.id, d.id].sort());
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]).toMatchObject({ source: a.id, target: d.id, type: 'related' });
    expect(g).toMatchObject({ totalNodes: 2, totalEdges: 1, truncated: false });
  });

  it('describes one link with both of its ends', async () => {
    const u = await add('username', 'erin');
    const a = await add('account', 'https://x.test/erin', 'X');
    const l = (await core.call('links.add', { investigationId: inv, sourceId: u.id, targetId: a.id, type: 'has_account', properties: { site: 'X' } })).link;
    const d = await core.call('graph.link', { id: l.id });
    expect(d.link).toMatchObject({ id: l.id, type: 'has_account', properties: { site: 'X' } });
    expect(d.source).toEqual({ id: u.id, type: 'username', value: 'erin', label: null });
    expect(d.target).toEqual({ id: a.id, type: 'account', value: 'https://x.test/erin', label: 'X' });
    await expect(core.call('graph.link', { id: 'lnk_missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps investigations apart', async () => {
    await add('username', 'carol');
    const other = (await core.call('investigations.create', { name: 'Other' })).id;
    await core.call('entities.add', { investigationId: other, type: 'username', value: 'dave' });
    const g = await core.call('graph.get', { investigationId: other });
    expect(g.nodes.map((n) => n.value)).toEqual(['dave']);
  });

  it('answers an empty graph for a new investigation, not_found for an unknown one, invalid_input for bad types', async () => {
    expect(await core.call('graph.get', { investigationId: inv })).toEqual({ nodes: [], edges: [], totalNodes: 0, totalEdges: 0, truncated: false });
    await expect(core.call('graph.get', { investigationId: 'inv_missing' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.invoke('graph.get', { investigationId: inv, types: ['planet'] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(core.invoke('graph.get', { investigationId: inv, types: [] })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('cuts at the limit, keeps the oldest nodes and never returns an edge to a node it left out', async () => {
    // Bulk rows straight into SQLite: going through entities.add 50,000 times would test that, not the graph.
    const insertEntity = core.ctx.sqlite.prepare(
      `insert into entities (id, investigation_id, type, value, normalized, properties, first_seen, last_seen) values (?, ?, 'username', ?, ?, '{}', ?, ?)`,
    );
    const insertLink = core.ctx.sqlite.prepare(
      `insert into links (id, investigation_id, source_id, target_id, type, properties, created_at) values (?, ?, ?, ?, 'related', '{}', 0)`,
    );
    const n = GRAPH_LIMIT + 10;
    core.ctx.sqlite.transaction(() => {
      for (let i = 0; i < n; i++) insertEntity.run(`e${i}`, inv, `u${i}`, `u${i}`, 1000 + i, 1000 + i);
      // One link inside the kept set, one reaching the newest (cut) node.
      insertLink.run('l_in', inv, 'e0', 'e1');
      insertLink.run('l_out', inv, 'e0', `e${n - 1}`);
    })();

    const g = await core.call('graph.get', { investigationId: inv });
    expect(g.nodes).toHaveLength(GRAPH_LIMIT);
    expect(g.nodes[0]!.id).toBe('e0');
    expect(g.nodes.at(-1)!.id).toBe(`e${GRAPH_LIMIT - 1}`);
    expect(g.edges.map((e) => e.id)).toEqual(['l_in']);
    expect(g).toMatchObject({ totalNodes: n, totalEdges: 2, truncated: true });
  });
});
