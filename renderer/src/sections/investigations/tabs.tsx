import type { ReactNode } from 'react';
import { EntitiesTab } from './entities/EntitiesTab.tsx';
import { GraphTab } from '../graph/GraphTab.tsx';
import { ToolRunsTab } from '../tools/ToolRunsTab.tsx';
import { TimelineTab } from '../reports/TimelineTab.tsx';

/**
 * The tabs of an investigation page, in display order. Each area adds its own
 * entry here (graph, timeline, runs, reports…); `key` is the URL segment
 * (`/investigations/:id/:key`), so keep it stable and unique.
 */
export interface InvestigationTab {
  key: string;
  label: string;
  render: (investigationId: string) => ReactNode;
}

export const INVESTIGATION_TABS: InvestigationTab[] = [
  { key: 'entities', label: 'Entities', render: (id) => <EntitiesTab investigationId={id} /> },
  { key: 'graph', label: 'Graph', render: (id) => <GraphTab investigationId={id} /> },
  { key: 'runs', label: 'Tool runs', render: (id) => <ToolRunsTab investigationId={id} /> },
  { key: 'timeline', label: 'Timeline', render: (id) => <TimelineTab investigationId={id} /> },
];
