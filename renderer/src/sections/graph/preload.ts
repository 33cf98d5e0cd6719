import type { Graph } from '../../../../preload/contract/graph.ts';
import { call } from '../../api/hooks.ts';

/**
 * When the app is opened straight on a graph (a bookmark, a reload, the link
 * from a batch), the graph's code and data are requested while the app is
 * still booting, instead of after the investigation page has loaded: that
 * wait was most of the time to the first drawing of a large graph (bench/p7).
 */
type GraphViewModule = typeof import('./GraphView.tsx');
let loaded: GraphViewModule | null = null;

export function loadGraphView(): Promise<GraphViewModule> {
  return import('./GraphView.tsx').then((m) => (loaded = m));
}

/** The graph's code if it has arrived: rendered directly, with no Suspense round (React holds those back up to 300 ms). */
export function loadedGraphView(): GraphViewModule | null {
  return loaded;
}

const early = new Map<string, Promise<Graph>>();

const m = /^#\/investigations\/([^/?#]+)\/graph(?:[/?#]|$)/.exec(window.location.hash);
if (m) {
  const investigationId = decodeURIComponent(m[1]!);
  void loadGraphView();
  const p = call('graph.get', { investigationId });
  // A failure is reported by the tab's own fetch; this one must not be an unhandled rejection.
  p.catch(() => undefined);
  early.set(investigationId, p);
}

/** The graph requested at boot for this investigation, once; later loads fetch afresh. */
export function takeEarlyGraph(investigationId: string): Promise<Graph> | undefined {
  const p = early.get(investigationId);
  early.delete(investigationId);
  return p;
}
