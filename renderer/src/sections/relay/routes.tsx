import { Navigate, Route, Routes } from 'react-router';
import { RelayLayout } from './RelayLayout.tsx';
import { RequestsView } from './RequestsView.tsx';
import { EndpointsView } from './EndpointsView.tsx';
import { PlaygroundView } from './PlaygroundView.tsx';
import { AnalyticsView } from './AnalyticsView.tsx';

export function RelayRoutes() {
  return (
    <Routes>
      <Route element={<RelayLayout />}>
        <Route index element={<Navigate to="requests" replace />} />
        <Route path="requests" element={<RequestsView />} />
        <Route path="requests/:id" element={<RequestsView />} />
        <Route path="endpoints" element={<EndpointsView />} />
        <Route path="playground" element={<PlaygroundView />} />
        <Route path="analytics" element={<AnalyticsView />} />
      </Route>
    </Routes>
  );
}
