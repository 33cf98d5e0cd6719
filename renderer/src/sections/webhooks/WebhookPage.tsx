import { useState } from 'react';
import { Anchor, Badge, Breadcrumbs, Button, Group, Pagination, Paper, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconKey, IconPencil, IconSend } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../../../preload/contract/event-types.ts';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../preload/contract/webhooks.ts';
import { useCall } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { FilterBar } from '../../components/filters/FilterBar.tsx';
import { useListFilter } from '../../lib/list-filter.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { useWebhookActions } from './actions.ts';
import { DeliveryDrawer } from './DeliveryDrawer.tsx';
import { DELIVERY_STATUS_LABELS, DeliveryStatusBadge } from './DeliveryStatusBadge.tsx';
import { useLiveWebhooks } from './live.ts';
import { SecretDialog } from './SecretDialog.tsx';
import { TestResultDialog } from './TestResultDialog.tsx';
import { WebhookFormDialog } from './WebhookFormDialog.tsx';

const PAGE_SIZE = 25;

/** One webhook: its settings and actions, and the delivery log with filters, details and replay. */
export function WebhookPage() {
  useLiveWebhooks();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const w = useCall('webhooks.get', { id, recent: 0 });
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [event, setEvent] = useState<WebhookEventType | null>(null);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  // Per webhook, kept for the session like the entity table's filter (lib/list-filter.ts).
  const [filter, setFilter] = useListFilter(`deliveries:${id}`);
  const actions = useWebhookActions();
  const log = useCall(
    'webhooks.deliveries.list',
    { webhookId: id, status: status ?? undefined, event: event ?? undefined, filter: filter ?? undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    { placeholderData: keepPreviousData },
  );

  if (w.isPending) return <Loading label="Loading webhook…" />;
  if (w.isError) return <ErrorState error={w.error} onRetry={() => void w.refetch()} />;
  const hook = w.data;
  const pages = Math.max(1, Math.ceil((log.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Stack gap="lg" maw={1280}>
      <Breadcrumbs>
        <Anchor component={Link} to="/webhooks">
          Webhooks
        </Anchor>
        <Text size="sm">{hook.description || hook.url}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={2} style={{ wordBreak: 'break-all' }}>
            {hook.url}
          </Title>
          <Group gap={6}>
            <Badge color={hook.active ? 'green' : 'gray'} variant={hook.active ? 'filled' : 'outline'}>
              {hook.active ? 'active' : 'disabled'}
            </Badge>
            {hook.events.map((e) => (
              <Badge key={e} variant="light" size="sm" tt="none">
                {e}
              </Badge>
            ))}
          </Group>
          {hook.disabledReason && (
            <Text size="sm" c="red">
              {hook.disabledReason}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {hook.stats.total} deliveries · {hook.stats.succeeded} succeeded · {hook.stats.failed} failed
            {hook.stats.successRate !== null ? ` · ${Math.round(hook.stats.successRate * 100)}% success` : ''}
            {hook.stats.latencyP50Ms !== null ? ` · p50 ${hook.stats.latencyP50Ms} ms, p95 ${hook.stats.latencyP95Ms} ms` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="light" leftSection={<IconSend size={16} />} loading={actions.runTest.isPending} onClick={() => actions.runTest.mutate(hook)}>
            Send test
          </Button>
          <Button variant="default" onClick={() => actions.toggle.mutate(hook)}>
            {hook.active ? 'Disable' : 'Enable'}
          </Button>
          <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button variant="default" leftSection={<IconKey size={16} />} onClick={() => actions.rotate.mutate(hook)}>
            Rotate secret
          </Button>
          <ConfirmButton
            title="Delete webhook?"
            message={`Deliveries to ${hook.url} stop and its delivery log is deleted. This cannot be undone.`}
            onConfirm={async () => {
              await actions.remove.mutateAsync(hook);
              void navigate('/webhooks');
            }}
          >
            Delete
          </ConfirmButton>
        </Group>
      </Group>

      <Group justify="space-between" align="flex-end">
        <Title order={3}>Deliveries</Title>
        <Group gap="sm">
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            w={200}
            data={DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] }))}
            value={status}
            onChange={(v) => {
              setStatus(v as DeliveryStatus | null);
              setPage(1);
            }}
          />
          <Select
            label="Event"
            placeholder="Any event"
            clearable
            searchable
            w={220}
            data={[...WEBHOOK_EVENT_TYPES]}
            value={event}
            onChange={(v) => {
              setEvent(v as WebhookEventType | null);
              setPage(1);
            }}
          />
        </Group>
      </Group>
      <FilterBar
        list="deliveries"
        noun="delivery"
        filter={filter}
        onChange={(f) => {
          setFilter(f);
          setPage(1);
        }}
      />

      <Paper withBorder radius="md">
        {log.isPending ? (
          <Loading label="Loading deliveries…" />
        ) : log.isError ? (
          <Stack p="md">
            <ErrorState error={log.error} onRetry={() => void log.refetch()} />
          </Stack>
        ) : log.data.items.length === 0 ? (
          <Empty title={status || event || filter ? 'No deliveries match' : 'No deliveries yet'}>
            {status || event || filter ? 'Change the filters to see more.' : 'Send a test, or wait for a subscribed event.'}
          </Empty>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover aria-label="Deliveries" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Attempts</Table.Th>
                  <Table.Th>Last answer</Table.Th>
                  <Table.Th>Latency</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Next attempt</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {log.data.items.map((d) => (
                  <Table.Tr key={d.id} style={{ cursor: 'pointer' }} onClick={() => setOpen(d.id)}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {d.event}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <DeliveryStatusBadge status={d.status} />
                    </Table.Td>
                    <Table.Td>{d.attempts}</Table.Td>
                    <Table.Td>
                      <Tooltip label={d.lastError ?? ''} disabled={!d.lastError} multiline w={360}>
                        <Text size="sm" c={d.lastError ? 'red' : undefined}>
                          {d.lastStatusCode ?? (d.lastError ? 'error' : '–')}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>{d.lastLatencyMs === null ? '–' : `${d.lastLatencyMs} ms`}</Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(d.createdAt)}>
                        <span>{formatRelative(d.createdAt)}</span>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>{d.nextAttemptAt ? formatRelative(d.nextAttemptAt) : '–'}</Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" aria-label={`Details of ${d.event} delivery ${d.id}`} onClick={() => setOpen(d.id)}>
                        Details
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} aria-label="Delivery pages" />}

      <DeliveryDrawer id={open} onClose={() => setOpen(null)} />
      <WebhookFormDialog opened={editing} onClose={() => setEditing(false)} webhook={hook} />
      <SecretDialog
        secret={actions.secret?.secret ?? null}
        title="Secret rotated"
        note={
          actions.secret?.previousSecretExpiresAt
            ? `The previous secret keeps signing beside this one until ${new Date(actions.secret.previousSecretExpiresAt).toLocaleString()}.`
            : 'The previous secret no longer signs.'
        }
        onClose={() => actions.setSecret(null)}
      />
      <TestResultDialog result={actions.test?.result ?? null} webhookId={hook.id} onClose={() => actions.setTest(null)} />
    </Stack>
  );
}
