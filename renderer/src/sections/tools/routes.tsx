import { Navigate, Route, Routes } from 'react-router';
import { ToolsLayout } from './ToolsLayout.tsx';
import { ToolList } from './ToolList.tsx';
import { SiteManifestView } from './SiteManifestView.tsx';
import { CredentialsView } from './CredentialsView.tsx';
import { ToolHealthView } from './ToolHealthView.tsx';

export function ToolsRoutes() {
  return (
    <Routes>
      <Route element={<ToolsLayout />}>
        <Route index element={<Navigate to="list" replace />} />
        <Route path="list" element={<ToolList />} />
        <Route path="sites" element={<SiteManifestView />} />
        <Route path="credentials" element={<CredentialsView />} />
        <Route path="health" element={<ToolHealthView />} />
      </Route>
    </Routes>
  );
}
