import { useEffect, useMemo, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Code, Grid, Group, Paper, PasswordInput, ScrollArea, Select, Stack, Switch, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { IconClipboard, IconPlus, IconSend, IconTrash } from '@tabler/icons-react';
import { RELAY_PROVIDERS, type PlaygroundResponse, type RelayProviderId } from '../../../../preload/contract/relay.ts';
import { call, useCall } from '../../api/hooks.ts';
import { providerOption } from './EndpointDialog.tsx';

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET', 'HEAD', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];

/** JSON check as you type: null when fine or not meant to be JSON. */
function jsonProblem(body: string, contentType: string): string | null {
  const t = body.trim();
  if (!t) return null;
  const meantAsJson = contentType.toLowerCase().includes('json') || t.startsWith('{') || t.startsWith('[');
  if (!meantAsJson) return null;
  try {
    JSON.parse(t);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Compose a request, optionally sign it as a provider, send it, see the answer; copy it as cURL. */
export function PlaygroundView() {
  const status = useCall('relay.status', {});
  const endpoints = useCall('relay.endpoints.list', {});
  const [method, setMethod] = useState<Method>('POST');
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState<{ name: string; value: string }[]>([{ name: 'Content-Type', value: 'application/json' }]);
  const [body, setBody] = useState('{\n  "type": "test.event",\n  "data": { "email": "someone@example.org" }\n}');
  const [signing, setSigning] = useState(false);
  const [provider, setProvider] = useState<RelayProviderId>('github');
  const [secret, setSecret] = useState('');
  const [curl, setCurl] = useState<string | null>(null);

  // Start from the first endpoint's URL, so a first send lands in the relay.
  useEffect(() => {
    if (url || !endpoints.data?.length) return;
    const first = endpoints.data[0]!;
    setUrl(first.url ?? '');
    if (first.provider !== 'none' && first.provider !== 'hmac') setProvider(first.provider);
  }, [endpoints.data, url]);

  const contentType = headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  const problem = useMemo(() => jsonProblem(body, contentType), [body, contentType]);
  const input = () => ({
    method,
    url: url.trim(),
    headers: headers.filter((h) => h.name.trim()).map((h) => ({ name: h.name.trim(), value: h.value })),
    body,
    sign: signing ? { provider, secret, options: {} } : null,
  });

  const send = useMutation<PlaygroundResponse, Error, void>({
    mutationFn: () => call('relay.playground.send', input()),
    onError: (e) => notifications.show({ color: 'red', title: 'Request failed', message: e.message }),
  });
  const copyCurl = useMutation<{ command: string }, Error, void>({
    mutationFn: () => call('relay.playground.curl', input()),
    onSuccess: async ({ command }) => {
      setCurl(command);
      try {
        await navigator.clipboard.writeText(command);
        notifications.show({ color: 'green', message: 'cURL command copied' });
      } catch {
        notifications.show({ color: 'yellow', message: 'Clipboard unavailable: copy the command below' });
      }
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Could not build the command', message: e.message }),
  });

  const canSend = url.trim() !== '' && (!signing || secret !== '');
  const res = send.data;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md" component="section" aria-label="Compose request">
          <Stack gap="sm">
            <Title order={3} size="h4">Request</Title>
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <Select aria-label="Method" data={[...METHODS]} value={method} onChange={(v) => v && setMethod(v as Method)} w={110} allowDeselect={false} />
              <TextInput label="URL" placeholder={status.data?.url ? `${status.data.url}/hooks/<slug>` : 'http://127.0.0.1:8787/hooks/<slug>'} value={url} onChange={(e) => setUrl(e.currentTarget.value)} style={{ flex: 1 }} />
            </Group>
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm" fw={500}>Headers</Text>
                <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => setHeaders([...headers, { name: '', value: '' }])}>
                  Add header
                </Button>
              </Group>
              {headers.map((h, i) => (
                <Group key={i} gap="xs" wrap="nowrap">
                  <TextInput aria-label={`Header ${i + 1} name`} placeholder="Name" value={h.name} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))} style={{ flex: 1 }} size="xs" />
                  <TextInput aria-label={`Header ${i + 1} value`} placeholder="Value" value={h.value} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)))} style={{ flex: 2 }} size="xs" />
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders(headers.filter((_, j) => j !== i))}>
                    <IconTrash size={14} />
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
            <Textarea
              label="Body"
              autosize
              minRows={6}
              maxRows={16}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={problem ? `Invalid JSON: ${problem}` : undefined}
              description={!problem && body.trim() && (body.trim().startsWith('{') || body.trim().startsWith('[')) ? 'Valid JSON' : undefined}
            />
            <Switch label="Sign as provider" checked={signing} onChange={(e) => setSigning(e.currentTarget.checked)} />
            {signing && (
              <Group gap="xs" grow align="flex-start">
                <Select
                  label="Provider"
                  data={RELAY_PROVIDERS.filter((p) => p.id !== 'none').map(providerOption)}
                  value={provider}
                  onChange={(v) => v && setProvider(v as RelayProviderId)}
                  allowDeselect={false}
                />
                <PasswordInput label="Signing secret" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} error={signing && !secret ? 'Needed to sign' : undefined} />
              </Group>
            )}
            <Group justify="flex-end">
              <Button variant="default" leftSection={<IconClipboard size={16} />} onClick={() => copyCurl.mutate()} disabled={!canSend} loading={copyCurl.isPending}>
                Copy as cURL
              </Button>
              <Button leftSection={<IconSend size={16} />} onClick={() => send.mutate()} disabled={!canSend} loading={send.isPending}>
                Send
              </Button>
            </Group>
            {curl && (
              <Stack gap={4}>
                <Text size="sm" fw={500}>cURL</Text>
                <Code block aria-label="cURL command" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {curl}
                </Code>
              </Stack>
            )}
          </Stack>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Paper withBorder p="md" component="section" aria-label="Response">
          <Stack gap="sm">
            <Title order={3} size="h4">Response</Title>
            {!res ? (
              <Text size="sm" c="dimmed">Send a request to see the status, time, headers and body here.</Text>
            ) : (
              <>
                <Group gap="xs">
                  <Badge size="lg" color={res.status < 300 ? 'green' : res.status < 500 ? 'orange' : 'red'} aria-label="Response status">
                    {res.status}
                  </Badge>
                  <Text size="sm" aria-label="Response time">{res.durationMs.toFixed(1)} ms</Text>
                </Group>
                {res.sentHeaders.some((h) => h.mark === 'signature') && (
                  <Alert variant="light" color="blue" p="xs">
                    Signed with {res.sentHeaders.filter((h) => h.mark === 'signature').map((h) => h.name).join(', ')}
                  </Alert>
                )}
                <Table aria-label="Response headers" striped>
                  <Table.Tbody>
                    {res.headers.map((h, i) => (
                      <Table.Tr key={i}>
                        <Table.Td fw={600}>{h.name}</Table.Td>
                        <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>{h.value}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <ScrollArea.Autosize mah={360}>
                  <Code block aria-label="Response body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {res.body || '(empty body)'}
                  </Code>
                </ScrollArea.Autosize>
              </>
            )}
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
