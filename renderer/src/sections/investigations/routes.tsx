import { Route, Routes } from 'react-router';
import { InvestigationList } from './InvestigationList.tsx';

export function InvestigationsRoutes() {
  return (
    <Routes>
      <Route index element={<InvestigationList />} />
    </Routes>
  );
}
