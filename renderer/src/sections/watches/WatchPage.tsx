import { Anchor, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPencil, IconPlayerPause, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { ChangeCounts, RunStatusBadge, WatchStatusBadge } from './badges.tsx';
import { DiffView } from './DiffView.tsx';
import { WatchDialog } from './WatchDialog.tsx';

/** The same time on the watch's own clock, when it is not the viewer's (a cron in Europe/Berlin seen from UTC). */
function inZone(iso: string, timeZone: string): string {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!timeZone || timeZone === here) return '';
  try {
    const t = new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(new Date(iso));
    return `; ${t} ${timeZone}`;
  } catch {
    return '';
  }
}

export function WatchPage() {
  const { id = '', runId } = useParams();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const w = useCall('watches.get', { id });
  const runs = useCall('watches.runs', { id, limit: 100 });
  useInvalidateOn(['watches.changed', 'watch.changed', 'batches.changed'], ['watches.get', 'watches.runs', 'watches.diff']);
  const invalidates = ['watches.get', 'watches.runs', 'watches.list'] as const;
  const runNow = useAction('watches.runNow', { invalidates: [...invalidates], success: (r) => `Run ${r.seq} started` });
  const pause = useAction('watches.pause', { invalidates: [...invalidates], success: 'Watch paused' });
  const resume = useAction('watches.resume', { invalidates: [...invalidates], success: 'Watch resumed' });
  const del = useAction('watches.delete', { invalidates: ['watches.list'], success: 'Watch deleted' });

  if (w.isPending) return <Loading label="Loading the watch…" />;
  if (w.isError) return <ErrorState error={w.error} onRetry={() => void w.refetch()} />;
  const watch = w.data;
  const latestDiffed = runs.data?.items.find((r) => r.status === 'completed' && !r.baseline);
  const freshCount = latestDiffed?.counts.new ?? 0;
  const selected = runId ?? runs.data?.items.find((r) => r.status !== 'running' && r.status !== 'starting')?.id ?? runs.data?.items[0]?.id;

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Anchor component={Link} to="/watches" size="sm">← Watches</Anchor>
          <Group>
            <Title order={2}>{watch.name}</Title>
            <WatchStatusBadge status={watch.status} data-testid="watch-status" />
          </Group>
          <Text size="sm" c="dimmed">
            {watch.tool ?? watch.template ?? (watch.builtin === 'site-health' ? 'Built-in: every site of the manifest' : watch.builtin)}
            {watch.inputs.length ? ` on ${watch.inputs.join(', ')}` : ''} · {watch.schedule.description}
            {watch.nextRunAt ? ` · next run ${formatRelative(watch.nextRunAt)} (${formatDateTime(watch.nextRunAt)}${inZone(watch.nextRunAt, watch.schedule.timezone)})` : ''}
          </Text>
          {watch.investigationId && freshCount > 0 && (
            <Anchor component={Link} to={`/investigations/${watch.investigationId}/graph?highlight=watch`} size="sm">
              Show what run {latestDiffed!.seq} found new in the graph ({freshCount})
            </Anchor>
          )}
        </Stack>
        <Group>
          <Button leftSection={<IconRefresh size={16} />} loading={runNow.isPending} onClick={() => runNow.mutate({ id }, { onSuccess: (r) => void navigate(`/watches/${id}/runs/${r.id}`) })}>
            Run now
          </Button>
          <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
            Edit
          </Button>
          {watch.status === 'active' ? (
            <Button variant="default" leftSection={<IconPlayerPause size={16} />} onClick={() => pause.mutate({ id })}>Pause</Button>
          ) : (
            <Button variant="default" leftSection={<IconPlayerPlay size={16} />} onClick={() => resume.mutate({ id })}>Resume</Button>
          )}
          <ConfirmButton
            title="Delete this watch?"
            message="Its runs and diffs are deleted; a run in progress is cancelled. The batches it ran stay."
            onConfirm={() => del.mutateAsync({ id }).then(() => navigate('/watches'))}
          >
            Delete
          </ConfirmButton>
        </Group>
      </Group>
      <Card withBorder>
        <Title order={4} mb="sm">Runs</Title>
        {runs.isPending ? (
          <Loading label="Loading runs…" />
        ) : runs.isError ? (
          <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />
        ) : runs.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">No run yet. The first run is the baseline the next ones are compared with; “Run now” starts it.</Text>
        ) : (
          <Table aria-label="Runs" highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Trigger</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Changes</Table.Th>
                <Table.Th>Batch</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.items.map((r) => (
                <Table.Tr key={r.id} bg={r.id === selected ? 'var(--mantine-color-blue-light)' : undefined}>
                  <Table.Td>
                    <Anchor component={Link} to={`/watches/${id}/runs/${r.id}`} aria-label={`Run ${r.seq}`}>#{r.seq}</Anchor>
                  </Table.Td>
                  <Table.Td><RunStatusBadge status={r.status} /></Table.Td>
                  <Table.Td><Text size="sm">{r.trigger}</Text></Table.Td>
                  <Table.Td><Tooltip label={formatDateTime(r.startedAt)}><Text size="sm">{formatRelative(r.startedAt)}</Text></Tooltip></Table.Td>
                  <Table.Td>
                    {r.status !== 'completed' ? (
                      <Text size="sm" c="dimmed">{r.error ?? '—'}</Text>
                    ) : watch.builtin ? (
                      <Text size="sm">{r.counts.changed ? `${r.counts.changed} ${r.counts.changed === 1 ? 'site' : 'sites'} changed status` : 'no site changed status'}</Text>
                    ) : (
                      <ChangeCounts counts={r.counts} baseline={r.baseline} />
                    )}
                  </Table.Td>
                  <Table.Td>{r.batchId ? <Anchor component={Link} to={`/batches/${r.batchId}`} size="sm">{r.batchStatus ?? 'batch'}</Anchor> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {selected && !watch.builtin && (
        <Card withBorder>
          <DiffView runId={selected} />
        </Card>
      )}
      {watch.builtin && (
        <Card withBorder>
          <Text size="sm">
            Each run checks every site with its known claimed and free username. Status, reason and history per site are in{' '}
            <Anchor component={Link} to="/tools/sites">
              Tools → Site manifest
            </Anchor>
            .
          </Text>
        </Card>
      )}
      {editing && <WatchDialog watch={watch} onClose={() => setEditing(false)} />}
    </Stack>
  );
}
