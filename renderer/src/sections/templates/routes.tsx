import { Route, Routes } from 'react-router';
import { TemplateList } from './TemplateList.tsx';
import { TemplateEditor } from './TemplateEditor.tsx';

export function TemplatesRoutes() {
  return (
    <Routes>
      <Route index element={<TemplateList />} />
      <Route path="new" element={<TemplateEditor />} />
      <Route path=":id" element={<TemplateEditor />} />
    </Routes>
  );
}
