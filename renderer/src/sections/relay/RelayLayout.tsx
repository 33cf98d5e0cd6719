import { Badge, Code, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import type { RelayChannelState } from '../../../../preload/contract/relay.ts';

const TABS = [
  { value: 'requests', label: 'Requests' },
  { value: 'endpoints', label: 'Endpoints' },
  { value: 'playground', label: 'Playground' },
  { value: 'analytics', label: 'Analytics' },
] as const;

const CHANNEL_LABEL: Record<RelayChannelState['state'], string> = {
  connecting: 'connecting',
  connected: 'streaming',
  retrying: 'retrying',
  not_linked: 'no team link',
  stopped: 'not streaming in this app',
};
const CHANNEL_COLOR: Record<RelayChannelState['state'], string> = {
  connecting: 'blue',
  connected: 'green',
  retrying: 'orange',
  not_linked: 'red',
  stopped: 'gray',
};

/** The relay section: receiver status and each team channel's stream on top, one tab per view. */
export function RelayLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = TABS.find((t) => location.pathname.includes(`/relay/${t.value}`))?.value ?? 'requests';
  const status = useCall('relay.status', {}, { refetchInterval: 5000 });
  useInvalidateOn(['relay.endpoints.changed', 'relay.channel'], ['relay.endpoints.list', 'relay.status']);
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
                <Badge color="green" variant="light">
                  Receiver running
                </Badge>
                <Code>{status.data.url}</Code>
              </>
            ) : (
              <Tooltip label={status.data.error ?? 'Start it with `dossier relay start`, or run the app (serve/desktop) which starts it'}>
                <Badge color="gray" variant="light">
                  Receiver not running in this app
                </Badge>
              </Tooltip>
            )}
            {status.data.pendingActions > 0 && <Badge variant="outline">{status.data.pendingActions} actions queued</Badge>}
          </Group>
        )}
      </Group>
      {status.data && status.data.channels.length > 0 && (
        <Group gap="xs" role="group" aria-label="Team channels">
          {status.data.channels.map((c) => (
            <Tooltip
              key={c.endpointId}
              label={`${c.channelId}, last event ${c.lastEventId}${c.error ? ` — ${c.error}` : ''}${c.nextAttemptAt ? `; next attempt ${new Date(c.nextAttemptAt).toLocaleTimeString()}` : ''}`}
            >
              <Badge color={CHANNEL_COLOR[c.state]} variant="light" aria-label={`channel of ${c.slug}: ${CHANNEL_LABEL[c.state]}`}>
                {c.slug}: {CHANNEL_LABEL[c.state]}
              </Badge>
            </Tooltip>
          ))}
        </Group>
      )}
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
