import { Route, Routes } from 'react-router';
import { SettingsPage } from './SettingsPage.tsx';

export function SettingsRoutes() {
  return (
    <Routes>
      <Route index element={<SettingsPage />} />
    </Routes>
  );
}
