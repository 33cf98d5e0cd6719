import { Route, Routes } from 'react-router';
import { TeamPage } from './TeamPage.tsx';

export function TeamRoutes() {
  return (
    <Routes>
      <Route index element={<TeamPage />} />
    </Routes>
  );
}
