import { Route, Routes } from 'react-router';
import { InvestigationList } from './InvestigationList.tsx';
import { InvestigationPage } from './InvestigationPage.tsx';

export function InvestigationsRoutes() {
  return (
    <Routes>
      <Route index element={<InvestigationList />} />
      <Route path=":id" element={<InvestigationPage />} />
      <Route path=":id/:tab" element={<InvestigationPage />} />
    </Routes>
  );
}
