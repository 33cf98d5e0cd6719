import { Route, Routes } from 'react-router';
import { WebhookList } from './WebhookList.tsx';
import { WebhookPage } from './WebhookPage.tsx';

export function WebhooksRoutes() {
  return (
    <Routes>
      <Route index element={<WebhookList />} />
      <Route path=":id" element={<WebhookPage />} />
    </Routes>
  );
}
