import { useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconPlugConnected } from '@tabler/icons-react';
import { DIRECT_EGRESS, egressLabel, type Egress, type EgressProbe } from '../../../../preload/contract/egress.ts';
import { useAction, useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { EgressFields, draftIncomplete, draftOf, egressOf, type EgressDraft } from './EgressFields.tsx';

/**
 * Settings → Egress: how every tool reaches the network (SPEC §3.11), and the
 * leak check that asks an echo service directly and through the proxy.
 */
export function EgressPanel() {
  const current = useCall('settings.get', { key: 'egress.default' });
  const echo = useCall('settings.get', { key: 'egress.echoUrl' });
  const [draft, setDraft] = useState<EgressDraft>(draftOf(DIRECT_EGRESS));
  const [echoUrl, setEchoUrl] = useState('');
  const save = useAction('settings.set', { invalidates: ['settings.get', 'settings.list'], success: 'Saved the egress' });
  const test = useAction('egress.test');

  useEffect(() => {
    if (current.data) setDraft(draftOf(current.data.value as Egress));
  }, [current.data]);
  useEffect(() => {
    if (echo.data) setEchoUrl(String(echo.data.value));
  }, [echo.data]);

  if (current.isPending) return <Loading label="Loading the egress…" />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;

  const egress = (): Egress => egressOf(draft) ?? DIRECT_EGRESS;
  const incomplete = draftIncomplete(draft);
  const result = test.data;

  return (
    <Stack gap="sm" py="sm" aria-label="Network egress" component="section">
      <Text size="sm" c="dimmed">
        Every tool’s lookups leave this machine this way: username checks, probes, APIs, RDAP, image downloads, and DNS (by DNS-over-HTTPS through the proxy; with
        SOCKS5 the proxy also resolves the names). A tool that cannot use the proxy refuses to run instead of connecting directly. The <Code>command</Code> tool passes the
        proxy to the program in <Code>HTTPS_PROXY</Code>, <Code>HTTP_PROXY</Code> and <Code>ALL_PROXY</Code>: the external program must honour them itself.
      </Text>
      <EgressFields value={draft} onChange={setDraft} />
      <Group gap="sm">
        <Button onClick={() => save.mutate({ key: 'egress.default', value: egress() })} loading={save.isPending} disabled={incomplete} aria-label="Save egress">
          Save
        </Button>
        <TextInput aria-label="Echo URL" value={echoUrl} onChange={(e) => setEchoUrl(e.currentTarget.value)} w={340} />
        <Button
          variant="light"
          leftSection={<IconPlugConnected size={16} />}
          onClick={() => test.mutate({ egress: egress(), echoUrl: echoUrl.trim() || undefined })}
          loading={test.isPending}
          disabled={incomplete}
          aria-label="Test egress"
        >
          Test
        </Button>
      </Group>
      {result && (
        <Stack gap="xs">
          <Table withTableBorder maw={720} aria-label="Egress test result">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Path</Table.Th>
                <Table.Th>Address the echo service saw</Table.Th>
                <Table.Th>Time</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <ProbeRow label="Direct" testId="egress-direct" probe={result.direct} />
              <ProbeRow label={`Through ${result.egress}`} testId="egress-proxied" probe={result.proxied} />
            </Table.Tbody>
          </Table>
          {result.sameAddress && (
            <Alert color="orange" icon={<IconAlertTriangle size={16} />} title="Same address both ways">
              {result.egress === 'direct' ? 'The egress is direct: lookups come from this machine’s address.' : `${result.egress} does not hide this machine’s address.`}
            </Alert>
          )}
          {!result.proxied.ok && (
            <Alert color="red" icon={<IconAlertTriangle size={16} />} title="The egress does not work">
              Tools will fail rather than connect directly until it does.
            </Alert>
          )}
        </Stack>
      )}
      <Text size="xs" c="dimmed">
        Saved: {egressLabel(current.data.value as Egress)}. Batches and template steps can override it (batch option <Code>egress</Code>, tool param <Code>egress</Code>), and so
        can <Code>egress.tools</Code> per tool.
      </Text>
    </Stack>
  );
}

function ProbeRow({ label, probe, testId }: { label: string; probe: EgressProbe; testId: string }) {
  return (
    <Table.Tr data-testid={testId}>
      <Table.Td>{label}</Table.Td>
      <Table.Td>{probe.ok ? <Code>{probe.address}</Code> : <Text size="sm" c="red">{probe.error}</Text>}</Table.Td>
      <Table.Td>{probe.elapsedMs} ms</Table.Td>
    </Table.Tr>
  );
}
