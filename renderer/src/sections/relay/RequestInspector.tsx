import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Paper, ScrollArea, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink } from 'react-router';
import { IconPlayerPlay, IconSend } from '@tabler/icons-react';
import type { RelayRequestDetail } from '../../../../preload/contract/relay.ts';
import { useAction, useCall, useCoreEvent } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { ForwardBadge, StatusBadge, VerificationBadge } from './badges.tsx';

function prettyBody(r: RelayRequestDetail): string {
  if (r.bodyText === null) return '';
  if (!r.isJson) return r.bodyText;
  try {
    return JSON.stringify(JSON.parse(r.bodyText), null, 2);
  } catch {
    return r.bodyText;
  }
}

/** Everything about one logged request, with replay. */
export function RequestInspector({ id, onReplayed }: { id: number; onReplayed: (newId: number) => void }) {
  const q = useCall('relay.requests.get', { id });
  const endpoints = useCall('relay.endpoints.list', {});
  const qc = useQueryClient();
  useCoreEvent('relay.request', (e) => {
    if (e.request.id === id && e.kind === 'updated') void qc.invalidateQueries({ queryKey: ['relay.requests.get', { id }] });
  });
  const replay = useAction('relay.replay', { invalidates: ['relay.requests.get'] });
  const [bodyMode, setBodyMode] = useState<'pretty' | 'raw' | 'base64'>('pretty');

  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  const ep = endpoints.data?.find((e) => e.id === r.endpointId);

  async function doReplay(target: 'forward' | 'pipeline') {
    const out = await replay.mutateAsync({ id: r.id, target });
    if (out.target === 'forward') {
      notifications.show({ color: out.attempt.status !== null && out.attempt.status < 300 ? 'green' : 'red', message: `Forwarded: ${out.attempt.status ?? out.attempt.error} in ${out.attempt.durationMs} ms` });
    } else {
      notifications.show({ color: out.request.status < 300 ? 'green' : 'orange', message: `Replayed as request #${out.request.id}: ${out.request.status} ${out.request.verification}` });
      onReplayed(out.request.id);
    }
  }

  const body = bodyMode === 'pretty' ? prettyBody(r) : bodyMode === 'raw' ? (r.bodyText ?? '(not UTF-8: see Base64)') : r.bodyBase64;

  return (
    <Paper withBorder p="md" aria-label={`Request ${r.id} inspector`} component="section">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Title order={3} size="h4">
              Request #{r.id}
            </Title>
            <StatusBadge status={r.status} />
            <VerificationBadge v={r.verification} />
            <ForwardBadge state={r.forwardState} />
          </Group>
          <Group gap="xs">
            <Button size="xs" variant="light" leftSection={<IconSend size={14} />} disabled={!ep?.forwardTo} loading={replay.isPending} onClick={() => doReplay('forward')}>
              Replay to forward target
            </Button>
            <Button size="xs" variant="light" leftSection={<IconPlayerPlay size={14} />} disabled={!ep} loading={replay.isPending} onClick={() => doReplay('pipeline')}>
              Replay through verification
            </Button>
          </Group>
        </Group>
        <Text size="sm">
          <Code>{r.method} {r.path}{r.query ? `?${r.query}` : ''}</Code> · {new Date(r.receivedAt).toLocaleString()} · {r.size.toLocaleString()} bytes · {r.latencyMs.toFixed(2)} ms
        </Text>
        <Group gap="lg">
          <Meta label="Source" value={r.sourceIp} />
          <Meta label="User agent" value={r.userAgent} />
          <Meta label="Event" value={r.eventType} />
          <Meta label="Delivery id" value={r.deliveryId} />
        </Group>
        {r.error && (
          <Alert color={r.status < 300 ? 'gray' : 'red'} variant="light" title="Outcome">
            {r.error}
          </Alert>
        )}
        {r.duplicateOf !== null && <Alert color="gray" variant="light">Duplicate of request #{r.duplicateOf}: acknowledged, not processed again.</Alert>}
        <Tabs defaultValue="body">
          <Tabs.List>
            <Tabs.Tab value="body">Body</Tabs.Tab>
            <Tabs.Tab value="headers">Headers ({r.headers.length})</Tabs.Tab>
            <Tabs.Tab value="forward">Forwarding ({r.forwards.length})</Tabs.Tab>
            <Tabs.Tab value="rules">Rule matches ({r.ruleMatches.length})</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="body" pt="xs">
            <Stack gap="xs">
              <Group justify="space-between">
                <SegmentedControl
                  size="xs"
                  aria-label="Body view"
                  value={bodyMode}
                  onChange={(v) => setBodyMode(v as 'pretty')}
                  data={[
                    { value: 'pretty', label: r.isJson ? 'Pretty JSON' : 'Text' },
                    { value: 'raw', label: 'Raw' },
                    { value: 'base64', label: 'Base64' },
                  ]}
                />
                <Text size="xs" c="dimmed">
                  {r.contentType ?? 'no content-type'}
                  {r.bodyText === null ? ' · not valid UTF-8' : ''}
                  {r.bodyTruncated ? ' · preview truncated' : ''}
                </Text>
              </Group>
              <ScrollArea.Autosize mah={360}>
                <Code block aria-label="Request body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {body || '(empty body)'}
                </Code>
              </ScrollArea.Autosize>
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="headers" pt="xs">
            <Table aria-label="Request headers" striped>
              <Table.Tbody>
                {r.headers.map((h, i) => (
                  <Table.Tr key={i}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm" fw={600}>{h.name}</Text>
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" c={h.mark === 'redacted' ? 'dimmed' : undefined} ff="monospace">{h.value}</Text>
                        {h.mark && <Badge size="xs" color={h.mark === 'redacted' ? 'gray' : 'blue'}>{h.mark}</Badge>}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Tabs.Panel>
          <Tabs.Panel value="forward" pt="xs">
            {r.forwards.length === 0 ? (
              <Text size="sm" c="dimmed">{ep?.forwardTo ? (r.forwardState === 'pending' ? 'Forwarding is queued.' : 'Not forwarded.') : 'This endpoint does not forward.'}</Text>
            ) : (
              <Table aria-label="Forward attempts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>Target</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Response</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.forwards.map((f) => (
                    <Table.Tr key={f.id}>
                      <Table.Td>{f.attempt}</Table.Td>
                      <Table.Td><Text size="xs" ff="monospace">{f.url}</Text></Table.Td>
                      <Table.Td>{f.status !== null ? <StatusBadge status={f.status} /> : <Badge color="red">no response</Badge>}</Table.Td>
                      <Table.Td>{f.durationMs.toFixed(1)} ms</Table.Td>
                      <Table.Td><Text size="xs" lineClamp={2}>{f.error ?? f.responseExcerpt}</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="rules" pt="xs">
            {r.ruleMatches.length === 0 ? (
              <Text size="sm" c="dimmed">No routing rule matched.</Text>
            ) : (
              <Table aria-label="Rule matches">
                <Table.Tbody>
                  {r.ruleMatches.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td fw={600}>{m.ruleName}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Badge color={m.outcome === 'started' ? 'green' : m.outcome === 'failed' ? 'red' : 'gray'} style={{ overflow: 'visible' }}>
                          {m.outcome.replace('_', ' ')}
                        </Badge>
                      </Table.Td>
                      <Table.Td><Code>{JSON.stringify(m.inputs)}</Code></Table.Td>
                      <Table.Td>
                        {m.batchId ? (
                          <Anchor component={RouterLink} to={`/batches/${m.batchId}`} size="xs">
                            batch {m.batchId}
                          </Anchor>
                        ) : (
                          <Text size="xs">{m.error}</Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Paper>
  );
}

function Meta({ label, value }: { label: string; value: string | null }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm">{value ?? '—'}</Text>
    </Stack>
  );
}
