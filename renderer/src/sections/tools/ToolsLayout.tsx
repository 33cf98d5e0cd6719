import { Stack, Tabs, Text, Title } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from 'react-router';

const TABS = [
  { value: 'list', label: 'Tools' },
  { value: 'sites', label: 'Site manifest' },
  { value: 'credentials', label: 'Credentials' },
  { value: 'health', label: 'Health' },
] as const;

/** The tools section: the built-in tools, the site manifest username.sites uses, and the credentials vault. */
export function ToolsLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = TABS.find((t) => location.pathname.includes(`/tools/${t.value}`))?.value ?? 'list';
  return (
    <Stack gap="md">
      <Stack gap={2}>
        <Title order={2}>Tools</Title>
        <Text size="sm" c="dimmed">
          The transforms you run on entities, the sites usernames are checked on, and the API keys tools use.
        </Text>
      </Stack>
      <Tabs value={current} onChange={(v) => v && navigate(`/tools/${v}`)} keepMounted={false}>
        <Tabs.List aria-label="Tools views">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </Stack>
  );
}
