import { Badge, Code, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';

const TABS = [
  { value: 'requests', label: 'Requests' },
  { value: 'endpoints', label: 'Endpoints' },
  { value: 'playground', label: 'Playground' },
  { value: 'analytics', label: 'Analytics' },
] as const;

/** The relay section: receiver status on top, one tab per view. */
export function RelayLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = TABS.find((t) => location.pathname.includes(`/relay/${t.value}`))?.value ?? 'requests';
  const status = useCall('relay.status', {}, { refetchInterval: 5000 });
  useInvalidateOn(['relay.endpoints.changed'], ['relay.endpoints.list', 'relay.status']);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>Relay</Title>
          <Text size="sm" c="dimmed">
            Receive, verify, inspect, forward and replay inbound webhooks.
          </Text>
        </Stack>
        {status.data && (
          <Group gap="xs" aria-label="Receiver status">
            {status.data.running ? (
              <>
                <Badge color="green" variant="light">Receiver running</Badge>
                <Code>{status.data.url}</Code>
              </>
            ) : (
              <Tooltip label={status.data.error ?? 'Start it with `dossier relay start`, or run the app (serve/desktop) which starts it'}>
                <Badge color="gray" variant="light">Receiver not running in this app</Badge>
              </Tooltip>
            )}
            {status.data.pendingActions > 0 && <Badge variant="outline">{status.data.pendingActions} actions queued</Badge>}
          </Group>
        )}
      </Group>
      <Tabs value={current} onChange={(v) => v && navigate(`/relay/${v}`)} keepMounted={false}>
        <Tabs.List aria-label="Relay views">
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
