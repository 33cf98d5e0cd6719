import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { SyncConflict } from '../../../../preload/contract/sync.ts';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';

const READS = ['sync.status', 'sync.templates', 'templates.list', 'templates.get'] as const;

/** The Team section (SPEC §3.9): the templates shared with the team, and the conflicts a sync kept both copies of. */
export function TeamPage() {
  const status = useCall('sync.status', {});
  const templates = useCall('sync.templates', {});
  useInvalidateOn(['sync.changed', 'sync.conflict', 'templates.changed'], [...READS]);

  if (status.isPending) return <Loading label="Loading the team…" />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  const shared = templates.data ?? [];

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={2}>Team</Title>
        <Text size="sm" c="dimmed">
          {s.connected ? (
            <>
              Team <b>{s.team?.name}</b> on <code>{s.server}</code>, as {s.member?.name}. Last sync{' '}
              {s.lastSyncAt ? new Date(s.lastSyncAt).toLocaleString() : 'never'}
              {s.pending ? `; ${s.pending} change(s) waiting to be pushed` : ''}.
            </>
          ) : (
            <>
              Not connected to a team server.{' '}
              <Anchor component={Link} to="/settings">
                Connect in Settings → Team
              </Anchor>
              .
            </>
          )}
        </Text>
      </div>
      {s.lastError && (
        <Alert color="red" title="The last sync failed">
          {s.lastError}
        </Alert>
      )}

      <Paper withBorder radius="md" p="md" component="section" aria-label="Conflicts">
        <Title order={4} mb="xs">
          Conflicts
        </Title>
        {s.conflicts.length === 0 ? (
          <Text size="sm" c="dimmed">
            No open conflicts.
          </Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              The template was changed on the team server while you edited it here. The team’s version is now the template; your edit is kept as its own local
              template.
            </Text>
            {s.conflicts.map((c) => (
              <ConflictRow key={c.id} c={c} />
            ))}
          </Stack>
        )}
      </Paper>

      <Paper withBorder radius="md" p="md" component="section" aria-label="Shared templates">
        <Title order={4} mb="xs">
          Shared templates
        </Title>
        {templates.isPending ? (
          <Loading />
        ) : templates.isError ? (
          <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
        ) : shared.length === 0 ? (
          <Empty title="No shared templates">Turn on “Shared with team” in a template’s editor to share it.</Empty>
        ) : (
          <Table striped highlightOnHover aria-label="Shared templates list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Team version</Table.Th>
                <Table.Th>Changed by</Table.Th>
                <Table.Th>Changed</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shared.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/templates/${encodeURIComponent(t.id)}`} size="sm">
                      {t.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t.version ?? '—'}</Table.Td>
                  <Table.Td>{t.updatedBy ?? '—'}</Table.Td>
                  <Table.Td>{t.updatedAt ? new Date(t.updatedAt).toLocaleString() : '—'}</Table.Td>
                  <Table.Td>
                    {t.pending ? (
                      <Badge color="yellow" variant="light">
                        waiting to push
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        in step
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

function ConflictRow({ c }: { c: SyncConflict }) {
  const resolve = useAction('sync.conflicts.resolve', {
    invalidates: [...READS],
    success: (r) =>
      r.kept === 'mine'
        ? 'Your edit is the shared template again; it is pushed by the next sync'
        : r.kept === 'theirs'
          ? 'Your copy is deleted'
          : 'Both copies kept',
  });
  return (
    <Paper withBorder radius="sm" p="sm" aria-label={`Conflict on ${c.templateName}`} data-testid="sync-conflict">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>{c.templateName}</Text>
            <Badge color="orange" variant="light">
              {c.serverDeleted ? 'deleted on the team server' : `team version ${c.serverVersion}`}
            </Badge>
            <Text size="xs" c="dimmed">
              {new Date(c.at).toLocaleString()}
            </Text>
          </Group>
          <Text size="sm">
            Team’s copy:{' '}
            <Anchor component={Link} to={`/templates/${encodeURIComponent(c.templateId)}`}>
              {c.templateName}
            </Anchor>
          </Text>
          <Text size="sm">
            Your edit:{' '}
            {c.copyId ? (
              <Anchor component={Link} to={`/templates/${encodeURIComponent(c.copyId)}`}>
                {c.copyName}
              </Anchor>
            ) : (
              'deleted here (the team’s version came back)'
            )}
          </Text>
        </Stack>
        <Group gap="xs">
          {c.copyId && (
            <>
              <Button
                size="xs"
                variant="light"
                loading={resolve.isPending}
                onClick={() => resolve.mutate({ id: c.id, keep: 'mine' })}
                aria-label={`Keep mine for ${c.templateName}`}
              >
                Keep mine
              </Button>
              <ConfirmButton
                size="xs"
                title={`Delete your copy “${c.copyName}”?`}
                message="The team’s version stays; your edit is deleted."
                confirmLabel="Keep theirs"
                onConfirm={() => resolve.mutateAsync({ id: c.id, keep: 'theirs' }).catch(() => undefined)}
              >
                Keep theirs
              </ConfirmButton>
            </>
          )}
          <Button
            size="xs"
            variant="default"
            loading={resolve.isPending}
            onClick={() => resolve.mutate({ id: c.id, keep: 'both' })}
            aria-label={`Keep both for ${c.templateName}`}
          >
            Keep both
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
