import { Alert, Center, Code, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconKey, IconPlugConnectedX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useConnection } from '../api/hooks.ts';
import { formatTime } from '../lib/time.ts';

/**
 * Browser mode answers only the page opened with the token `dossier serve` printed. Without it (or with the token of
 * an earlier run) every view would fail one by one with "Try again", which cannot help: say how to get the right URL.
 */
export function TokenGate({ children }: { children: ReactNode }) {
  const state = useConnection();
  if (state.kind !== 'no_token' && state.kind !== 'bad_token') return <>{children}</>;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder radius="md" p="xl" maw={640} role="main" aria-label="Access token needed">
        <Stack gap="sm">
          <Title order={2}>
            <IconKey size={22} style={{ verticalAlign: 'middle', marginRight: 8 }} />
            {state.kind === 'no_token' ? 'This page needs its access token' : 'This access token is not accepted'}
          </Title>
          <Text>
            {state.kind === 'no_token'
              ? 'Dossier in the browser only answers the page opened with the link that includes its access token, so that no other web page can reach your data.'
              : 'The server refused the token this tab holds. Each run of dossier serve makes a new token, so a link from an earlier run no longer works.'}
          </Text>
          <List type="ordered" spacing={4}>
            <List.Item>
              Find the terminal where <Code>dossier serve</Code> is running (or start it).
            </List.Item>
            <List.Item>
              Open the URL it printed: <Code>Dossier is running at http://127.0.0.1:PORT/?token=…</Code>
            </List.Item>
          </List>
          <Text size="sm" c="dimmed">
            The token is kept for this tab once opened, and removed from the address bar.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}

/** Shown above the current view while the server cannot be reached: what is on screen was read before then. */
export function ConnectionBanner() {
  const state = useConnection();
  if (state.kind !== 'lost') return null;
  return (
    <Alert
      color="red"
      variant="light"
      withCloseButton={false}
      icon={<IconPlugConnectedX size={18} />}
      title="Not connected to the Dossier server"
      role="alert"
      mb="md"
      id="connection-lost"
    >
      Since {formatTime(state.since)} the server does not answer (was <Code>dossier serve</Code> stopped?). Counts and lists below are from before then and may
      be out of date; they refresh once it is back.
    </Alert>
  );
}

/** True while the figures on screen cannot be current. */
export function useStale(): boolean {
  return useConnection().kind === 'lost';
}
