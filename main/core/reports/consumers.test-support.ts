import { spawnSync } from 'node:child_process';

/**
 * The real programs that read our exports: xmllint for well-formedness and
 * networkx (Debian's python3-networkx) for what a graph tool actually sees.
 */
export function xmllint(file: string): { ok: boolean; stderr: string } {
  const r = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}

export interface NxGraph {
  nodes: Record<string, Record<string, unknown>>;
  edges: { source: string; target: string; attrs: Record<string, unknown> }[];
}

// networkx 2.x/3.x know GEXF 1.1draft and 1.2draft only; 1.3 differs from 1.2 in its
// namespaces, so the check teaches the reader those two URIs and nothing else.
const PY = `
import json, sys
import networkx as nx
from networkx.readwrite import gexf
kind, path = sys.argv[1], sys.argv[2]
if kind == 'gexf':
    v = dict(gexf.GEXF.versions['1.2draft'])
    v.update({'NS_GEXF': 'http://gexf.net/1.3', 'NS_VIZ': 'http://gexf.net/1.3/viz', 'VERSION': '1.3'})
    gexf.GEXF.versions['1.3'] = v
    G = nx.read_gexf(path, version='1.3')
else:
    G = nx.read_graphml(path)
out = {'nodes': {str(n): d for n, d in G.nodes(data=True)},
       'edges': [{'source': str(u), 'target': str(v), 'attrs': d} for u, v, d in G.edges(data=True)]}
print(json.dumps(out, default=str))
`;

export function networkx(kind: 'gexf' | 'graphml', file: string): NxGraph {
  const r = spawnSync('/usr/bin/python3', ['-c', PY, kind, file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`networkx could not read ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as NxGraph;
}
