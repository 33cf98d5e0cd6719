import { useEffect, useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Checkbox, Code, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconTrash } from '@tabler/icons-react';
import type { RelayEndpoint } from '../../../../preload/contract/relay.ts';
import { call, useCall } from '../../api/hooks.ts';
import { fieldErrors } from '../../lib/field-errors.ts';

/** Routing rules of one endpoint: when a request matches, start a batch template with values from its body. */
export function RulesDialog({ endpoint, onClose }: { endpoint: RelayEndpoint | null; onClose: () => void }) {
  const opened = endpoint !== null;
  const rules = useCall('relay.rules.list', { endpointId: endpoint?.id ?? '-' }, { enabled: opened });
  const templates = useCall('templates.list', { limit: 500, offset: 0 }, { enabled: opened });
  const investigations = useCall('investigations.list', { limit: 500, offset: 0 }, { enabled: opened });
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [eventType, setEventType] = useState('');
  const [matchPath, setMatchPath] = useState('');
  const [matchValue, setMatchValue] = useState('');
  const [template, setTemplate] = useState<string | null>(null);
  const [investigationId, setInvestigationId] = useState<string | null>(null);
  /** Input paths the user typed; the others follow the match path (the value a rule matches is usually the one it runs on). */
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [trusted, setTrusted] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!opened) return;
    setName('');
    setEventType('');
    setMatchPath('');
    setMatchValue('');
    setTemplate(null);
    setInvestigationId(null);
    setInputs({});
    setErrors({});
  }, [opened]);

  // One input per placeholder of the chosen template.
  const placeholders = templates.data?.items.find((t) => t.name === template)?.placeholders ?? [];
  const inputFor = (p: string) => inputs[p] ?? (matchPath.trim() || `$.${p}`);

  const refresh = () => void qc.invalidateQueries({ queryKey: ['relay.rules.list'] });
  const create = useMutation({
    mutationFn: () =>
      call('relay.rules.create', {
        endpointId: endpoint!.id,
        name: name.trim(),
        eventType: eventType.trim() || null,
        matchPath: matchPath.trim() || null,
        matchValue: matchValue === '' ? null : matchValue,
        template: template ?? '',
        investigationId: investigationId ?? '',
        inputs: Object.fromEntries(placeholders.map((p) => [p, inputFor(p)])),
        trusted,
      }),
    onSuccess: () => {
      refresh();
      notifications.show({ color: 'green', message: 'Rule added' });
      setName('');
      setEventType('');
      setMatchPath('');
      setMatchValue('');
      setInputs({});
      setTrusted(false);
      setErrors({});
    },
    onError: (e) => {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else notifications.show({ color: 'red', title: 'Could not add the rule', message: e.message });
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => call('relay.rules.delete', { id }), onSuccess: refresh });

  function submit(ev: FormEvent) {
    ev.preventDefault();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Name the rule';
    if (!template) local.template = 'Choose a template';
    if (!investigationId) local.investigationId = 'Choose an investigation';
    if (!eventType.trim() && !matchPath.trim()) local._form = 'Give an event type, a JSONPath match, or both';
    setErrors(local);
    if (Object.keys(local).length === 0) create.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title={`Routing rules of ${endpoint?.slug ?? ''}`} size="xl" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        {endpoint?.provider === 'none' && (
          <Alert color="orange" variant="light" title="This endpoint checks no signature" role="alert">
            Anyone who can reach its URL (another program on this machine, or the sync server&apos;s public channel) can send a body
            that matches these rules and starts their batches with values of their choosing. Prefer a provider that verifies a
            signature.
          </Alert>
        )}
        {rules.data && rules.data.length > 0 ? (
          <Table aria-label="Rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rule</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Starts</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td fw={600}>{r.name}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {r.eventType && <Text size="xs">event {r.eventType}</Text>}
                      {r.matchPath && (
                        <Text size="xs">
                          <Code>{r.matchPath}</Code>
                          {r.matchValue !== null ? ` = ${r.matchValue}` : ' found'}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{r.template}</Badge>{' '}
                    {r.trusted ? (
                      <Badge color="orange" variant="outline" size="xs">
                        trusted sender
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="outline" size="xs">
                        untrusted inputs
                      </Badge>
                    )}{' '}
                    <Text span size="xs">{Object.entries(r.inputs).map(([k, v]) => `${k} ← ${v}`).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={`Delete rule ${r.name}`} onClick={() => remove.mutate(r.id)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">No rules yet. A rule starts a batch template when a request matches; every match is recorded on the request.</Text>
        )}
        <form onSubmit={submit} noValidate aria-label="New rule">
          <Stack gap="sm">
            <Title order={4} size="h5">New rule</Title>
            {errors._form && <Alert color="red" variant="light">{errors._form}</Alert>}
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
            <SimpleGrid cols={3}>
              <TextInput label="Event type" placeholder="e.g. customer.* or push" value={eventType} onChange={(e) => setEventType(e.currentTarget.value)} error={errors.eventType} />
              <TextInput label="JSONPath match" placeholder="$.data.email" value={matchPath} onChange={(e) => setMatchPath(e.currentTarget.value)} error={errors.matchPath} />
              <TextInput label="Equals (optional)" value={matchValue} onChange={(e) => setMatchValue(e.currentTarget.value)} error={errors.matchValue} />
            </SimpleGrid>
            <SimpleGrid cols={2}>
              <Select label="Template" data={(templates.data?.items ?? []).map((t) => t.name)} value={template} onChange={setTemplate} searchable error={errors.template} nothingFoundMessage="No templates" />
              <Select
                label="Investigation"
                data={(investigations.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))}
                value={investigationId}
                onChange={setInvestigationId}
                searchable
                error={errors.investigationId}
                nothingFoundMessage="No investigations"
              />
            </SimpleGrid>
            {placeholders.map((p) => (
              <TextInput key={p} label={`Input {{${p}}} from`} description={inputs[p] === undefined && matchPath.trim() ? 'The match path, unless you change it' : undefined} value={inputFor(p)} onChange={(e) => setInputs({ ...inputs, [p]: e.currentTarget.value })} error={errors.inputs} />
            ))}
            <Checkbox
              label="Trust this sender"
              description="Off (the default): the batches this rule starts may not reach loopback, private or link-local addresses nor read local files, because the values come from whoever sent the webhook."
              checked={trusted}
              onChange={(e) => setTrusted(e.currentTarget.checked)}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={create.isPending}>
                Add rule
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
