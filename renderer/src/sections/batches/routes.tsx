import { Route, Routes } from 'react-router';
import { BatchList } from './BatchList.tsx';
import { BatchPage } from './BatchPage.tsx';

export function BatchesRoutes() {
  return (
    <Routes>
      <Route index element={<BatchList />} />
      <Route path=":id" element={<BatchPage />} />
    </Routes>
  );
}
