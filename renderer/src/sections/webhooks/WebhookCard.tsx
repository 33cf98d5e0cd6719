import { Anchor, Badge, Button, Card, Group, Menu, Progress, SimpleGrid, Stack, Switch, Text, Tooltip, ActionIcon } from '@mantine/core';
import { IconDots, IconKey, IconList, IconPencil, IconSend } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Webhook } from '../../../../preload/contract/webhooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import type { useWebhookActions } from './actions.ts';

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} size="sm">
        {value}
      </Text>
    </Stack>
  );
}

export function rateColor(rate: number | null): string {
  if (rate === null) return 'gray';
  return rate >= 0.95 ? 'green' : rate >= 0.8 ? 'yellow' : 'red';
}

/**
 * The bar's parts: what succeeded is always green and what failed red, so 50% reads as half and half (colouring the
 * succeeded part by the rate's health made a 50% bar all red). The rate's health colours the figure beside it.
 */
export function rateSections(rate: number | null): { value: number; color: string }[] {
  if (rate === null) return [];
  const pct = Math.round(rate * 100);
  return [
    { value: pct, color: 'green.6' },
    { value: 100 - pct, color: 'red.4' },
  ].filter((sec) => sec.value > 0);
}

/** One webhook: where it points, what it sends, how it is doing, and its actions. */
export function WebhookCard({ webhook: w, actions, onEdit }: { webhook: Webhook; actions: ReturnType<typeof useWebhookActions>; onEdit: () => void }) {
  const s = w.stats;
  const pct = s.successRate === null ? 0 : Math.round(s.successRate * 100);
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-label={`Webhook ${w.url}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Anchor component={Link} to={`/webhooks/${w.id}`} fw={600} style={{ wordBreak: 'break-all' }}>
              {w.url}
            </Anchor>
            {w.description && (
              <Text size="sm" c="dimmed" lineClamp={2}>
                {w.description}
              </Text>
            )}
          </Stack>
          <Group gap="xs" wrap="nowrap">
            <Badge color={w.active ? 'green' : 'gray'} variant={w.active ? 'filled' : 'outline'}>
              {w.active ? 'active' : 'disabled'}
            </Badge>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${w.url}`}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconPencil size={14} />} onClick={onEdit}>
                  Edit
                </Menu.Item>
                <Menu.Item leftSection={<IconKey size={14} />} onClick={() => actions.rotate.mutate(w)}>
                  Rotate secret
                </Menu.Item>
                <Menu.Item leftSection={<IconList size={14} />} component={Link} to={`/webhooks/${w.id}`}>
                  Deliveries
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>

        {w.disabledReason && (
          <Text size="xs" c="red">
            {w.disabledReason}
          </Text>
        )}

        <Group gap={6}>
          {w.events.map((e) => (
            <Badge key={e} variant="light" radius="sm" size="sm" tt="none">
              {e}
            </Badge>
          ))}
          {w.allowPrivateNetwork && (
            <Tooltip label="The SSRF guard is off for this webhook">
              <Badge color="orange" variant="outline" size="sm" tt="none">
                private network
              </Badge>
            </Tooltip>
          )}
        </Group>

        <SimpleGrid cols={5} spacing="xs">
          <Stat label="Total" value={s.total} />
          <Stat label="Succeeded" value={s.succeeded} />
          <Stat label="Failed" value={s.failed} />
          <Stat label="p50 / p95" value={s.latencyP50Ms === null ? '–' : `${s.latencyP50Ms} / ${s.latencyP95Ms} ms`} />
          <Stat label="Pending" value={s.pending} />
        </SimpleGrid>

        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Success rate
            </Text>
            <Text size="xs" fw={600} c={s.successRate === null ? undefined : rateColor(s.successRate)}>
              {s.successRate === null ? 'no deliveries yet' : `${pct}%`}
            </Text>
          </Group>
          {/* Green for what succeeded, red for what failed: a failing webhook shows as a red bar, not an empty one. */}
          <Progress.Root size="md" role="progressbar" aria-label={`Success rate ${s.successRate === null ? 'unknown' : `${pct}%`}`} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            {rateSections(s.successRate).map((sec) => (
              <Progress.Section key={sec.color} value={sec.value} color={sec.color} />
            ))}
          </Progress.Root>
          <Text size="xs" c="dimmed">
            Last delivery:{' '}
            {s.lastDeliveryAt ? (
              <Tooltip label={formatDateTime(s.lastDeliveryAt)}>
                <span>
                  {formatRelative(s.lastDeliveryAt)} ({s.lastStatus})
                </span>
              </Tooltip>
            ) : (
              'never'
            )}
          </Text>
        </Stack>

        <Group justify="space-between">
          <Switch
            label={w.active ? 'Enabled' : 'Disabled'}
            checked={w.active}
            aria-label={`Enabled: ${w.url}`}
            onChange={() => actions.toggle.mutate(w)}
            disabled={actions.toggle.isPending}
          />
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              leftSection={<IconSend size={14} />}
              loading={actions.runTest.isPending && actions.runTest.variables?.id === w.id}
              onClick={() => actions.runTest.mutate(w)}
            >
              Send test
            </Button>
            <ConfirmButton
              size="xs"
              title="Delete webhook?"
              message={`Deliveries to ${w.url} stop and its delivery log (${s.total} deliveries) is deleted. This cannot be undone.`}
              onConfirm={() => actions.remove.mutateAsync(w)}
            >
              Delete
            </ConfirmButton>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
