import { useState } from 'react';
import { ActionIcon, Badge, Button, Code, CopyButton, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconKey, IconPencil, IconPlus, IconRoute } from '@tabler/icons-react';
import { RELAY_PROVIDERS, type RelayEndpoint } from '../../../../preload/contract/relay.ts';
import { call, useAction, useCall } from '../../api/hooks.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { EndpointDialog } from './EndpointDialog.tsx';
import { RulesDialog } from './RulesDialog.tsx';

export function CopyIcon({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label}>
          <ActionIcon variant="subtle" onClick={copy} aria-label={label} color={copied ? 'green' : undefined}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** Reveal-on-demand copy of an endpoint's secret: it never travels with the list. */
function CopySecret({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Tooltip label={copied ? 'Secret copied' : 'Copy secret'}>
      <ActionIcon
        variant="subtle"
        aria-label="Copy secret"
        color={copied ? 'green' : undefined}
        onClick={async () => {
          const { secret } = await call('relay.endpoints.secret', { id });
          await navigator.clipboard.writeText(secret ?? '');
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        }}
      >
        {copied ? <IconCheck size={16} /> : <IconKey size={16} />}
      </ActionIcon>
    </Tooltip>
  );
}

export function EndpointsView() {
  const q = useCall('relay.endpoints.list', {});
  const [editing, setEditing] = useState<RelayEndpoint | null>(null);
  const [creating, setCreating] = useState(false);
  const [rulesOf, setRulesOf] = useState<RelayEndpoint | null>(null);
  const del = useAction('relay.endpoints.delete', { invalidates: ['relay.endpoints.list'], success: 'Endpoint deleted' });

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Point a provider at an endpoint URL. Requests are verified with the endpoint&apos;s secret, logged, and forwarded.
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          New endpoint
        </Button>
      </Group>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <Empty title="No relay endpoints yet">Create one, then paste its URL into GitHub, Stripe, Slack, Shopify or any webhook sender.</Empty>
      ) : (
        <Table striped highlightOnHover aria-label="Relay endpoints">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Slug</Table.Th>
              <Table.Th>Provider</Table.Th>
              <Table.Th>URL</Table.Th>
              <Table.Th>Forward to</Table.Th>
              <Table.Th>Requests</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.map((e) => {
              const p = RELAY_PROVIDERS.find((x) => x.id === e.provider)!;
              return (
                <Table.Tr key={e.id} aria-label={`Endpoint ${e.slug}`}>
                  <Table.Td>
                    <Group gap={6}>
                      <Text fw={600}>{e.slug}</Text>
                      {!e.active && <Badge color="gray">inactive</Badge>}
                      {e.provider === 'none' && e.ruleCount > 0 && (
                        <Tooltip label="No signature is checked, yet routing rules start batches: anyone reaching this URL can run them">
                          <Badge color="orange" aria-label={`Warning: ${e.slug} is unsigned and has routing rules`}>
                            unsigned · {e.ruleCount} rule{e.ruleCount === 1 ? '' : 's'}
                          </Badge>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.label}</Text>
                    <Text size="xs" c="dimmed">
                      {e.provider === 'hmac' ? (e.options.header ?? 'x-signature') : (p.signatureHeader ?? 'no signature')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Code>{e.url}</Code>
                      {e.url && <CopyIcon value={e.url} label="Copy URL" />}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={e.forwardTo ? undefined : 'dimmed'}>
                      {e.forwardTo ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{e.requestCount.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {e.hasSecret && <CopySecret id={e.id} />}
                      <Tooltip label="Routing rules">
                        <ActionIcon variant="subtle" aria-label={`Rules of ${e.slug}`} onClick={() => setRulesOf(e)}>
                          <IconRoute size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label={`Edit ${e.slug}`} onClick={() => setEditing(e)}>
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <ConfirmButton
                        size="xs"
                        title={`Delete endpoint ${e.slug}?`}
                        message="Requests to its URL will be answered 404. Its logged requests stay in the log."
                        onConfirm={() => del.mutateAsync({ id: e.id })}
                        aria-label={`Delete ${e.slug}`}
                      >
                        Delete
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <EndpointDialog opened={creating} onClose={() => setCreating(false)} />
      <RulesDialog endpoint={rulesOf} onClose={() => setRulesOf(null)} />
      <EndpointDialog opened={editing !== null} endpoint={editing ?? undefined} onClose={() => setEditing(null)} />
    </Stack>
  );
}
