import { Anchor, Breadcrumbs, Button, Group, Paper, SimpleGrid, Stack, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconGraph, IconPlayerPause, IconPlayerPlay, IconPlayerStop, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { FINAL_BATCH_STATUSES, type Batch, type OperationStatus } from '../../../../preload/contract/batches.ts';
import { useAction, useCall, useInvalidateOn } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { DeleteBatchButton } from './DeleteBatchButton.tsx';
import { BatchStatusBadge, STATUS_COLORS } from './BatchStatusBadge.tsx';
import { BatchProgress } from './BatchProgress.tsx';
import { HostStates } from './HostStates.tsx';
import { OperationsTable } from './OperationsTable.tsx';
import { useLiveProgress, withProgress } from './live-progress.ts';
import { egressLabel } from '../../../../preload/contract/egress.ts';

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function BatchPage() {
  const { id = '' } = useParams();
  const q = useCall('batches.get', { id });
  const live = useLiveProgress();
  useInvalidateOn(['batches.changed'], ['batches.get', 'batches.list']);
  const [opStatus, setOpStatus] = useState<OperationStatus | 'all'>('all');

  if (q.isPending) return <Loading label="Loading batch…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const p = live.get(id);
  const b = withProgress(q.data, p);
  return (
    <Stack gap="md" maw={1280}>
      <Breadcrumbs>
        <Anchor component={Link} to="/batches" size="sm">
          Batches
        </Anchor>
        <Text size="sm">{b.name}</Text>
      </Breadcrumbs>
      <Header batch={b} />
      <Stats batch={b} ratePerSecond={b.status === 'running' ? (p?.ratePerSecond ?? null) : null} etaMs={b.status === 'running' ? (p?.etaMs ?? null) : null} onPick={setOpStatus} />
      <OperationsTable batchId={b.id} status={opStatus} onStatus={setOpStatus} />
      <HostStates />
    </Stack>
  );
}

function Header({ batch: b }: { batch: Batch }) {
  const navigate = useNavigate();
  const inv = useCall('investigations.get', { id: b.investigationId });
  const inv8 = ['batches.get', 'batches.list', 'batches.operations'] as const;
  const pause = useAction('batches.pause', { invalidates: [...inv8], success: 'Paused: no new operations start' });
  const resume = useAction('batches.resume', { invalidates: [...inv8], success: 'Resumed' });
  const cancel = useAction('batches.cancel', { invalidates: [...inv8], success: 'Cancelled' });
  const retry = useAction('batches.retryFailed', { invalidates: [...inv8], success: (r) => `${r.retried.toLocaleString()} failed operations queued again` });
  const final = FINAL_BATCH_STATUSES.includes(b.status);
  const active = b.status === 'running' || b.status === 'pending';

  return (
    <Paper withBorder radius="md" p="lg">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="sm">
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>
              {b.name}
            </Title>
            <BatchStatusBadge status={b.status} size="lg" />
          </Group>
          <Group gap="lg">
            <Text size="sm">
              {b.tool ? (
                <>
                  Tool <b>{b.tool}</b>
                </>
              ) : (
                <>
                  Template <b>{b.templateName}</b>
                </>
              )}
            </Text>
            <Text size="sm">
              Investigation{' '}
              <Anchor component={Link} to={`/investigations/${b.investigationId}`}>
                {inv.data?.name ?? '…'}
              </Anchor>
            </Text>
            <Text size="sm" c="dimmed">
              max {b.options.maxParallel} in parallel · {b.options.retry.attempts - 1} retries · priority {b.options.priority}
              {b.options.stopOnError ? ' · stops on error' : ''}
              {b.options.followUpDepth ? ` · follow-ups to depth ${b.options.followUpDepth}` : ''}
            </Text>
            <Text size="sm" data-testid="batch-egress">
              Egress <b>{b.options.egress ? egressLabel(b.options.egress) : 'from the settings'}</b>
            </Text>
          </Group>
          {b.error && (
            <Text size="sm" c="red">
              {b.error}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" leftSection={<IconGraph size={16} />} onClick={() => void navigate(`/investigations/${b.investigationId}/graph`)}>
            Open graph
          </Button>
          {active && (
            <Button variant="default" leftSection={<IconPlayerPause size={16} />} onClick={() => pause.mutate({ id: b.id })} loading={pause.isPending}>
              Pause
            </Button>
          )}
          {b.status === 'paused' && (
            <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => resume.mutate({ id: b.id })} loading={resume.isPending}>
              Resume
            </Button>
          )}
          {!final && (
            <ConfirmButton
              leftSection={<IconPlayerStop size={16} />}
              title="Cancel this batch?"
              message={`Operations in flight are aborted and the ${(b.counts.pending + b.counts.running).toLocaleString()} not yet finished are marked cancelled. Finished results are kept.`}
              confirmLabel="Cancel batch"
              onConfirm={() => cancel.mutateAsync({ id: b.id }).catch(() => undefined)}
            >
              Cancel
            </ConfirmButton>
          )}
          {b.counts.failed > 0 && !active && (
            <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={() => retry.mutate({ id: b.id })} loading={retry.isPending}>
              Retry {b.counts.failed.toLocaleString()} failed
            </Button>
          )}
          {final && <DeleteBatchButton batch={b} />}
        </Group>
      </Group>
    </Paper>
  );
}

function Stats({ batch: b, ratePerSecond, etaMs, onPick }: { batch: Batch; ratePerSecond: number | null; etaMs: number | null; onPick(s: OperationStatus): void }) {
  const [now, setNow] = useState(Date.now());
  const running = b.status === 'running';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);
  const c = b.counts;
  const done = c.completed + c.failed + c.cancelled;
  const pct = c.total ? Math.floor((done / c.total) * 100) : 0;
  const started = b.startedAt ? new Date(b.startedAt).getTime() : null;
  // Elapsed counts wall time since the start, paused stretches included.
  const ended = b.finishedAt ? new Date(b.finishedAt).getTime() : now;
  const elapsed = started && ended ? Math.max(0, ended - started) : null;
  // After the batch ends, the rate is its average over the whole run.
  const rate = ratePerSecond ?? (elapsed && done ? (done / elapsed) * 1000 : null);

  const statuses: OperationStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];
  return (
    <Paper withBorder radius="md" p="lg">
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Group gap="xs" align="baseline">
            <Text fz={32} fw={700} lh={1} data-testid="batch-percent">
              {pct}%
            </Text>
            <Text c="dimmed" data-testid="batch-done">
              {done.toLocaleString()} of {c.total.toLocaleString()} operations
            </Text>
          </Group>
          <Group gap="xl">
            <Metric label="Rate" value={rate === null ? '—' : `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} /s`} />
            <Metric label="ETA" value={running ? (etaMs === null ? 'estimating…' : formatDuration(etaMs)) : '—'} />
            <Metric label="Elapsed" value={elapsed === null ? '—' : formatDuration(elapsed)} />
            <Metric label={b.finishedAt ? 'Finished' : 'Started'} value={b.finishedAt ? formatDateTime(b.finishedAt) : b.startedAt ? formatDateTime(b.startedAt) : 'not yet'} />
          </Group>
        </Group>
        <BatchProgress counts={c} size="xl" animate={running} />
        <SimpleGrid cols={5} spacing="xs">
          {statuses.map((s) => (
            <Tooltip key={s} label={`Show ${s} operations`} openDelay={400}>
              <UnstyledButton
                onClick={() => onPick(s)}
                aria-label={`${s}: ${c[s].toLocaleString()}`}
                p="xs"
                style={{ borderRadius: 8, border: '1px solid var(--mantine-color-default-border)' }}
              >
                <Text size="xs" tt="uppercase" fw={600} c={STATUS_COLORS[s] === 'dark' ? 'dimmed' : STATUS_COLORS[s]}>
                  {s}
                </Text>
                <Text fz="xl" fw={700} data-testid={`count-${s}`}>
                  {c[s].toLocaleString()}
                </Text>
              </UnstyledButton>
            </Tooltip>
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0} align="flex-end">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Stack>
  );
}
