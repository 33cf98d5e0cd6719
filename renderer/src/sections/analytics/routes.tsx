import { Route, Routes } from 'react-router';
import './charts.ts';
import { AnalyticsPage } from './AnalyticsPage.tsx';

export function AnalyticsRoutes() {
  return (
    <Routes>
      <Route index element={<AnalyticsPage />} />
    </Routes>
  );
}
