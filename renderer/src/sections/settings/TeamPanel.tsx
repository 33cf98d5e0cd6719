import { useState } from 'react';
import { Alert, Badge, Button, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPlugConnected, IconRefresh } from '@tabler/icons-react';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';

const SYNC_READS = ['sync.status', 'sync.templates', 'templates.list', 'templates.get'] as const;

/**
 * Settings → Team (SPEC §3.9 desktop side): connect this data directory to a
 * team server with a member token (checked, then stored sealed by the core),
 * and see the link's state: last sync, last error, queued changes.
 */
export function TeamPanel() {
  const status = useCall('sync.status', {});
  const server = useCall('settings.get', { key: 'sync.server' });
  const [url, setUrl] = useState<string | null>(null);
  const [token, setToken] = useState('');
  // The status re-reads whenever the engine reports (the background worker syncs every minute).
  useInvalidateOn(['sync.changed', 'sync.conflict'], [...SYNC_READS]);
  const connect = useAction('sync.connect', {
    invalidates: [...SYNC_READS, 'settings.get', 'settings.list'],
    success: (s) => `Connected to team ${s.team?.name ?? ''}`,
  });
  const now = useAction('sync.now', {
    invalidates: [...SYNC_READS],
    success: (r) => `Pushed ${r.pushed}, pulled ${r.pulled}${r.conflicts.length ? `, ${r.conflicts.length} conflict(s)` : ''}`,
  });
  const disconnect = useAction('sync.disconnect', { invalidates: [...SYNC_READS], success: 'Disconnected from the team server' });

  if (status.isPending) return <Loading label="Loading the team link…" />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  const serverUrl = url ?? (typeof server.data?.value === 'string' ? server.data.value : '');

  if (!s.connected) {
    return (
      <Stack gap="sm" py="sm" aria-label="Team server" component="section">
        <Text size="sm" c="dimmed">
          Share batch templates with your team through a Dossier team server. An admin creates your member token (<code>bin/sync-server create-team</code> or
          the members API); it is checked against the server, then stored sealed like every secret.
        </Text>
        <Group align="flex-end" gap="sm">
          <TextInput label="Server URL" placeholder="https://dossier.example.org" value={serverUrl} onChange={(e) => setUrl(e.currentTarget.value)} w={340} />
          <PasswordInput label="Member token" placeholder="dst_…" value={token} onChange={(e) => setToken(e.currentTarget.value)} w={380} />
          <Button
            leftSection={<IconPlugConnected size={16} />}
            loading={connect.isPending}
            disabled={!serverUrl.trim() || !token.trim()}
            onClick={() => connect.mutate({ server: serverUrl.trim(), token: token.trim() }, { onSuccess: () => setToken('') })}
          >
            Connect
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="sm" py="sm" aria-label="Team server" component="section">
      <Group gap="xs">
        <Badge color="green" variant="light" data-testid="team-connected">
          connected
        </Badge>
        <Text size="sm">
          team <b>{s.team?.name}</b> on <code>{s.server}</code> as {s.member?.name} ({s.member?.role})
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 4 }} spacing="md">
        <Fact label="Last sync" value={s.lastSyncAt ? new Date(s.lastSyncAt).toLocaleString() : 'never'} testId="team-last-sync" />
        <Fact label="Shared templates" value={String(s.sharedTemplates)} testId="team-shared-count" />
        <Fact label="Waiting to push" value={String(s.pending)} testId="team-pending" />
        <Fact label="Open conflicts" value={String(s.conflicts.length)} testId="team-conflict-count" />
      </SimpleGrid>
      {s.lastError && (
        <Alert color="red" title="The last sync failed" data-testid="team-last-error">
          {s.lastError}
          {s.lastAttemptAt ? ` (at ${new Date(s.lastAttemptAt).toLocaleString()})` : ''}
        </Alert>
      )}
      <Group gap="sm">
        <Button leftSection={<IconRefresh size={16} />} loading={now.isPending} onClick={() => now.mutate({})}>
          Sync now
        </Button>
        <ConfirmButton
          title="Disconnect from the team server?"
          message={`Shared templates stay here as local ones.${s.pending ? ` ${s.pending} change(s) not pushed yet stay only here.` : ''}`}
          confirmLabel="Disconnect"
          onConfirm={() =>
            disconnect.mutateAsync({}).then(
              () => undefined,
              () => undefined,
            )
          }
        >
          Disconnect
        </ConfirmButton>
      </Group>
    </Stack>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}
