import { Route, Routes } from 'react-router';
import { WatchList } from './WatchList.tsx';
import { WatchPage } from './WatchPage.tsx';

export function WatchesRoutes() {
  return (
    <Routes>
      <Route index element={<WatchList />} />
      <Route path=":id" element={<WatchPage />} />
      <Route path=":id/runs/:runId" element={<WatchPage />} />
    </Routes>
  );
}
