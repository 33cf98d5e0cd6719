import { lazy, type ComponentType, type ReactNode } from 'react';
import { IconChartBar, IconEye, IconFolderSearch, IconInbox, IconSettings, IconStack2, IconTemplate, IconTool, IconUsersGroup, IconWebhook } from '@tabler/icons-react';
import { InvestigationsRoutes } from '../sections/investigations/routes.tsx';

// Every section but the landing one loads on first visit, so start-up (and the
// graph, which lives under Investigations) parses only what it shows.
const BatchesRoutes = lazy(() => import('../sections/batches/routes.tsx').then((m) => ({ default: m.BatchesRoutes })));
const TemplatesRoutes = lazy(() => import('../sections/templates/routes.tsx').then((m) => ({ default: m.TemplatesRoutes })));
const WebhooksRoutes = lazy(() => import('../sections/webhooks/routes.tsx').then((m) => ({ default: m.WebhooksRoutes })));
const RelayRoutes = lazy(() => import('../sections/relay/routes.tsx').then((m) => ({ default: m.RelayRoutes })));
const AnalyticsRoutes = lazy(() => import('../sections/analytics/routes.tsx').then((m) => ({ default: m.AnalyticsRoutes })));
const WatchesRoutes = lazy(() => import('../sections/watches/routes.tsx').then((m) => ({ default: m.WatchesRoutes })));
const ToolsRoutes = lazy(() => import('../sections/tools/routes.tsx').then((m) => ({ default: m.ToolsRoutes })));
const TeamRoutes = lazy(() => import('../sections/team/routes.tsx').then((m) => ({ default: m.TeamRoutes })));
const SettingsRoutes = lazy(() => import('../sections/settings/routes.tsx').then((m) => ({ default: m.SettingsRoutes })));

/**
 * The navigation: one entry per section that works. A section is listed
 * here only once it is complete (SPEC: only sections that work are shown).
 */
export interface Section {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  /** Rendered under `${path}/*`. */
  element: ReactNode;
}

export const SECTIONS: Section[] = [
  { path: 'investigations', label: 'Investigations', icon: IconFolderSearch, element: <InvestigationsRoutes /> },
  { path: 'batches', label: 'Batches', icon: IconStack2, element: <BatchesRoutes /> },
  { path: 'templates', label: 'Templates', icon: IconTemplate, element: <TemplatesRoutes /> },
  { path: 'webhooks', label: 'Webhooks', icon: IconWebhook, element: <WebhooksRoutes /> },
  { path: 'relay', label: 'Relay', icon: IconInbox, element: <RelayRoutes /> },
  { path: 'watches', label: 'Watches', icon: IconEye, element: <WatchesRoutes /> },
  { path: 'tools', label: 'Tools', icon: IconTool, element: <ToolsRoutes /> },
  { path: 'analytics', label: 'Analytics', icon: IconChartBar, element: <AnalyticsRoutes /> },
  { path: 'team', label: 'Team', icon: IconUsersGroup, element: <TeamRoutes /> },
  // Settings stays last: add new sections above this line.
  { path: 'settings', label: 'Settings', icon: IconSettings, element: <SettingsRoutes /> },
];
