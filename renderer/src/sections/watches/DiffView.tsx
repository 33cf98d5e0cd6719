import { Anchor, Badge, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ChangeKind } from '../../../../preload/contract/watches.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { ChangeCounts } from './badges.tsx';

const CHANGE_COLOR: Record<ChangeKind, string> = { new: 'green', vanished: 'red', changed: 'yellow' };

/** What one run found new, vanished or changed against the run before. */
export function DiffView({ runId }: { runId: string }) {
  const [only, setOnly] = useState<'all' | ChangeKind>('all');
  const q = useCall('watches.diff', { runId, change: only === 'all' ? undefined : only, limit: 500 });
  useInvalidateOn(['watches.changed', 'verdicts.changed'], ['watches.diff']);
  if (q.isPending) return <Loading label="Loading the diff…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  const inv = d.watch.investigationId;
  return (
    <Stack role="region" aria-label={`Diff of run ${d.run.seq}`}>
      <Group justify="space-between">
        <Group>
          <Title order={4}>Run {d.run.seq}</Title>
          <ChangeCounts counts={d.counts} baseline={d.run.baseline} />
        </Group>
        <SegmentedControl
          aria-label="Show changes"
          size="xs"
          value={only}
          onChange={(v) => setOnly(v as 'all' | ChangeKind)}
          data={[{ value: 'all', label: 'All' }, { value: 'new', label: 'New' }, { value: 'vanished', label: 'Vanished' }, { value: 'changed', label: 'Changed' }]}
        />
      </Group>
      {d.run.status === 'running' || d.run.status === 'starting' ? (
        <Empty title="This run is still going">Its diff appears when its batch ends.</Empty>
      ) : d.run.status !== 'completed' ? (
        <Empty title={`This run ${d.run.status}`}>{d.run.error ?? ''} A run that did not complete is not compared; the next one compares with the last good run.</Empty>
      ) : d.items.length === 0 ? (
        <Empty title={d.run.baseline ? 'The first run found nothing' : 'No change since the run before'} />
      ) : (
        <Table aria-label="Changes" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Change</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>What differs</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.items.map((c, i) => (
              <Table.Tr key={`${c.change}-${c.kind}-${c.value}-${i}`}>
                <Table.Td><Badge color={d.run.baseline ? 'gray' : CHANGE_COLOR[c.change]} variant="light">{d.run.baseline ? 'baseline' : c.change}</Badge></Table.Td>
                <Table.Td><Text size="sm">{c.kind === 'link' ? `link ${c.type}` : c.type}</Text></Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {c.entityId && inv && c.change !== 'vanished' ? (
                      <Anchor component={Link} to={`/investigations/${inv}/graph?focus=${c.entityId}`} size="sm" ff="monospace">{c.value}</Anchor>
                    ) : (
                      <Text size="sm" ff="monospace" td={c.change === 'vanished' ? 'line-through' : undefined}>{c.value}</Text>
                    )}
                    {c.verdict && <Badge color={c.verdict === 'false_positive' ? 'gray' : 'teal'} variant="outline" size="sm">{c.verdict === 'false_positive' ? 'false positive' : 'confirmed'}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {c.fields.length ? c.fields.map((f) => (f === 'evidence' ? `evidence ${c.before?.evidenceHash?.slice(0, 8)} → ${c.after?.evidenceHash?.slice(0, 8)}` : 'properties')).join('; ') : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {d.total > d.items.length && <Text size="sm" c="dimmed">Showing {d.items.length} of {d.total}; use `dossier watch diff {d.run.id}` for all.</Text>}
    </Stack>
  );
}
