import { Alert, Badge, Button, Group, Popover, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconHeartbeat } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { SiteCheckSummary, SiteHealth } from '../../../../preload/contract/site-health.ts';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { formatDateTime, formatRelative } from '../../lib/time.ts';

const COLOR: Record<SiteHealth['status'], string> = { ok: 'green', degraded: 'orange', unchecked: 'gray' };

export function useSiteHealth(): Map<string, SiteHealth> {
  const q = useCall('sites.health', {});
  useInvalidateOn(['sites.health.changed', 'tools.config.changed'], ['sites.health', 'sites.history']);
  return useMemo(() => new Map((q.data ?? []).map((h) => [h.site, h])), [q.data]);
}

/** "Check sites": try every site with its known claimed and free username now; and the daily check switch. */
export function CheckSitesBar() {
  const [last, setLast] = useState<SiteCheckSummary | null>(null);
  const daily = useCall('watches.list', { limit: 500 });
  const dailyOn = (daily.data?.items ?? []).some((w) => w.builtin === 'site-health');
  const check = useAction('sites.check', { invalidates: ['sites.health', 'sites.history'] });
  const toggle = useAction('sites.dailyCheck', { invalidates: ['watches.list'], success: (r) => (r.enabled ? 'The sites are checked once a day' : 'Daily site check off') });
  return (
    <Stack gap="xs">
      <Group>
        <Button leftSection={<IconHeartbeat size={16} />} loading={check.isPending} onClick={() => check.mutate({}, { onSuccess: setLast })}>
          Check sites
        </Button>
        <Switch label="Check every day" checked={dailyOn} disabled={daily.isPending || toggle.isPending} onChange={(e) => toggle.mutate({ enabled: e.currentTarget.checked })} />
      </Group>
      {last && (
        <Alert color={last.degraded ? 'orange' : 'green'} title={`Checked ${last.checked} sites: ${last.ok} ok, ${last.degraded} degraded, ${last.inconclusive} could not be read`} role="status">
          {last.newlyDegraded.length > 0 && <Text size="sm">Newly degraded: {last.newlyDegraded.join(', ')}. Finds there are reported as unknown until a check passes.</Text>}
          {last.recovered.length > 0 && <Text size="sm">Working again: {last.recovered.join(', ')}.</Text>}
        </Alert>
      )}
    </Stack>
  );
}

/** A site's status with its reason, date and check history. */
export function SiteHealthCell({ site, health }: { site: string; health: SiteHealth | undefined }) {
  const [open, setOpen] = useState(false);
  const status = health?.status ?? 'unchecked';
  const history = useCall('sites.history', { site, limit: 10 }, { enabled: open });
  return (
    <Stack gap={2}>
      <Popover opened={open} onChange={setOpen} width={420} position="bottom-start" withinPortal>
        <Popover.Target>
          <Badge component="button" type="button" color={COLOR[status]} variant="light" style={{ cursor: 'pointer' }} onClick={() => setOpen((o) => !o)} aria-label={`${site} health: ${status}`}>
            {status}
          </Badge>
        </Popover.Target>
        <Popover.Dropdown>
          <Text size="sm" fw={600} mb={4}>Checks of {site}</Text>
          {history.isPending ? (
            <Text size="sm" c="dimmed">Loading…</Text>
          ) : !history.data?.length ? (
            <Text size="sm" c="dimmed">Never checked.</Text>
          ) : (
            <Table fz="xs" aria-label={`Check history of ${site}`}>
              <Table.Tbody>
                {history.data.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(h.checkedAt)}</Table.Td>
                    <Table.Td><Badge size="xs" variant="light" miw="max-content" color={h.outcome === 'ok' ? 'green' : h.outcome === 'degraded' ? 'orange' : 'gray'}>{h.outcome}</Badge></Table.Td>
                    <Table.Td>{h.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Popover.Dropdown>
      </Popover>
      {status === 'degraded' && health?.reason && (
        <Text size="xs" c="orange">
          since {health.since ? formatDateTime(health.since) : '?'}: {health.reason}
        </Text>
      )}
      {health?.lastCheckedAt && (
        <Tooltip label={formatDateTime(health.lastCheckedAt)}>
          <Text size="xs" c="dimmed" w="fit-content">checked {formatRelative(health.lastCheckedAt)}</Text>
        </Tooltip>
      )}
    </Stack>
  );
}
