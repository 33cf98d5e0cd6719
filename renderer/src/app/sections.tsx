import type { ComponentType, ReactNode } from 'react';
import { IconFolderSearch, IconSettings } from '@tabler/icons-react';
import { InvestigationsRoutes } from '../sections/investigations/routes.tsx';
import { IconStack2, IconTemplate } from '@tabler/icons-react';
import { BatchesRoutes } from '../sections/batches/routes.tsx';
import { TemplatesRoutes } from '../sections/templates/routes.tsx';
import { SettingsRoutes } from '../sections/settings/routes.tsx';
import { IconWebhook } from '@tabler/icons-react';
import { WebhooksRoutes } from '../sections/webhooks/routes.tsx';
import { RelayRoutes } from '../sections/relay/routes.tsx';
import { IconInbox } from '@tabler/icons-react';
import { IconTool } from '@tabler/icons-react';
import { ToolsRoutes } from '../sections/tools/routes.tsx';

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
  { path: 'tools', label: 'Tools', icon: IconTool, element: <ToolsRoutes /> },
  // Settings stays last: add new sections above this line.
  { path: 'settings', label: 'Settings', icon: IconSettings, element: <SettingsRoutes /> },
];
