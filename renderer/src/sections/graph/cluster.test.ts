import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../../../preload/contract/graph.ts';
import { CLUSTER_START_NODES, clusterGroups, clusterSize, groupKey, isClusterId, siteOf, startGrouping } from './cluster.ts';
import { ENTITY_COLORS } from '../../lib/entity-colors.ts';

const node = (id: string, type: GraphNode['type'], value: string, label: string | null = null): GraphNode => ({ id, type, value, label });

describe('graph clusters', () => {
  const nodes = [
    node('u1', 'username', 'alice'),
    node('u2', 'username', 'bob'),
    node('a1', 'account', 'https://github.com/alice', 'GitHub'),
    node('a2', 'account', 'https://www.github.com/bob'),
    node('a3', 'account', 'https://reddit.com/u/bob', 'Reddit'),
    node('e1', 'email', 'alice@example.com'),
  ];

  it('opens a big graph folded by type, a small one flat', () => {
    expect(startGrouping(CLUSTER_START_NODES + 1)).toBe('type');
    expect(startGrouping(CLUSTER_START_NODES)).toBe('none');
    expect(startGrouping(40)).toBe('none');
  });

  it('groups by type, biggest first, with counts and the type colour, and leaves singletons alone', () => {
    const g = clusterGroups(nodes, 'type');
    expect(g.map((c) => [c.label, c.members])).toEqual([
      ['account (3)', ['a1', 'a2', 'a3']],
      ['username (2)', ['u1', 'u2']],
    ]);
    expect(g[0]!.color).toBe(ENTITY_COLORS.account);
    expect(g.every((c) => isClusterId(c.id))).toBe(true);
  });

  it('groups accounts by site (label, else host without www) and keeps other types out', () => {
    expect(siteOf(nodes[3]!)).toBe('github.com');
    expect(siteOf(nodes[0]!)).toBeNull();
    expect(groupKey(nodes[0]!, 'site')).toBeNull();
    const more = [...nodes, node('a4', 'account', 'https://x.example/1', 'github')];
    const g = clusterGroups(more, 'site');
    expect(g.map((c) => [c.label, c.members])).toEqual([['GitHub (2)', ['a1', 'a4']]]);
  });

  it('leaves out types the legend hides, and makes nothing when not grouping', () => {
    expect(clusterGroups(nodes, 'type', new Set(['account'])).map((c) => c.type)).toEqual(['username']);
    expect(clusterGroups(nodes, 'none')).toEqual([]);
  });

  it('sizes a cluster slowly with its members', () => {
    expect(clusterSize(10)).toBeLessThan(clusterSize(3000));
    expect(clusterSize(3000)).toBeLessThanOrEqual(64);
  });
});
