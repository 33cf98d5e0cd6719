import { useEffect, useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { WEBHOOK_EVENT_TYPES, eventFamily, type WebhookEventType } from '../../../../preload/contract/event-types.ts';
import { WEBHOOK_TIMEOUT_MS, type Webhook, type WebhookWithSecret } from '../../../../preload/contract/webhooks.ts';
import { call } from '../../api/hooks.ts';
import { fieldErrors } from '../../lib/field-errors.ts';
import { WEBHOOK_QUERIES } from './live.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Edit this webhook; create a new one when absent. */
  webhook?: Webhook;
  /** Called with the secret after a create (the only time it is shown). */
  onCreated?: (w: WebhookWithSecret) => void;
}

const FAMILIES = [...new Set(WEBHOOK_EVENT_TYPES.map(eventFamily))];

interface HeaderRow {
  name: string;
  value: string;
}

/** Create or edit a webhook: URL, description, events by family, custom headers, private network, timeout. */
export function WebhookFormDialog({ opened, onClose, webhook, onCreated }: Props) {
  const editing = webhook !== undefined;
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [timeoutMs, setTimeoutMs] = useState<number>(WEBHOOK_TIMEOUT_MS.default);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const qc = useQueryClient();

  useEffect(() => {
    if (!opened) return;
    setUrl(webhook?.url ?? '');
    setDescription(webhook?.description ?? '');
    setEvents(webhook?.events ?? []);
    setHeaders(Object.entries(webhook?.headers ?? {}).map(([name, value]) => ({ name, value })));
    setAllowPrivate(webhook?.allowPrivateNetwork ?? false);
    setTimeoutMs(webhook?.timeoutMs ?? WEBHOOK_TIMEOUT_MS.default);
    setErrors({});
  }, [opened, webhook]);

  const headerObject = () => Object.fromEntries(headers.filter((h) => h.name.trim()).map((h) => [h.name.trim(), h.value]));

  const save = useMutation<Webhook | WebhookWithSecret, Error, void>({
    mutationFn: () => {
      const body = { url: url.trim(), description, events, headers: headerObject(), allowPrivateNetwork: allowPrivate, timeoutMs };
      return webhook ? call('webhooks.update', { id: webhook.id, ...body }) : call('webhooks.create', body);
    },
    onSuccess: (w) => {
      for (const m of WEBHOOK_QUERIES) void qc.invalidateQueries({ queryKey: [m] });
      notifications.show({ color: 'green', message: editing ? 'Webhook saved' : 'Webhook created' });
      onClose();
      if (!editing && 'secret' in w) onCreated?.(w);
    },
    onError: (e) => {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else notifications.show({ color: 'red', title: editing ? 'Could not save' : 'Could not create', message: e.message });
    },
  });

  function submit(ev: FormEvent) {
    ev.preventDefault();
    const local: Record<string, string> = {};
    if (!url.trim()) local.url = 'URL is required';
    if (events.length === 0) local.events = 'Choose at least one event';
    setErrors(local);
    if (Object.keys(local).length === 0) save.mutate();
  }

  const toggle = (e: WebhookEventType, on: boolean) => setEvents((cur) => (on ? [...cur, e] : cur.filter((x) => x !== e)));

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? 'Edit webhook' : 'New webhook'} size="xl" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors._form && (
            <Alert color="red" variant="light">
              {errors._form}
            </Alert>
          )}
          <TextInput
            label="URL"
            description="Dossier POSTs signed JSON here"
            placeholder="https://example.com/hooks/dossier"
            required
            data-autofocus
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={errors.url}
          />
          <Textarea label="Description" autosize minRows={1} maxRows={4} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} />

          <Fieldset legend="Events" aria-label="Events">
            <Stack gap="sm">
              {errors.events && (
                <Text size="sm" c="red">
                  {errors.events}
                </Text>
              )}
              <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="md">
                {FAMILIES.map((family) => {
                  const inFamily = WEBHOOK_EVENT_TYPES.filter((t) => eventFamily(t) === family);
                  const chosen = inFamily.filter((t) => events.includes(t));
                  return (
                    <Stack key={family} gap={4}>
                      <Checkbox
                        label={<Text fw={600} size="sm">{family}.*</Text>}
                        aria-label={`All ${family} events`}
                        checked={chosen.length === inFamily.length}
                        indeterminate={chosen.length > 0 && chosen.length < inFamily.length}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setEvents((cur) => (on ? [...new Set([...cur, ...inFamily])] : cur.filter((x) => !inFamily.includes(x))));
                        }}
                      />
                      {inFamily.map((t) => (
                        <Checkbox key={t} ml="lg" size="xs" label={t} checked={events.includes(t)} onChange={(e) => toggle(t, e.currentTarget.checked)} />
                      ))}
                    </Stack>
                  );
                })}
              </SimpleGrid>
            </Stack>
          </Fieldset>

          <Fieldset legend="Custom headers" aria-label="Custom headers">
            <Stack gap="xs">
              {headers.length === 0 && (
                <Text size="sm" c="dimmed">
                  None. Add one for an API key or a routing tag; signature and content headers are set by Dossier.
                </Text>
              )}
              {headers.map((h, i) => (
                <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
                  <TextInput
                    aria-label={`Header ${i + 1} name`}
                    placeholder="X-Api-Key"
                    value={h.name}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setHeaders((cur) => cur.map((x, j) => (j === i ? { ...x, name: v } : x)));
                    }}
                    style={{ flex: 1 }}
                  />
                  <TextInput
                    aria-label={`Header ${i + 1} value`}
                    placeholder="value"
                    value={h.value}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setHeaders((cur) => cur.map((x, j) => (j === i ? { ...x, value: v } : x)));
                    }}
                    style={{ flex: 2 }}
                  />
                  <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove header ${i + 1}`} onClick={() => setHeaders((cur) => cur.filter((_, j) => j !== i))}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              ))}
              {errors.headers && (
                <Text size="sm" c="red">
                  {errors.headers}
                </Text>
              )}
              <Button variant="subtle" size="xs" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => setHeaders((cur) => [...cur, { name: '', value: '' }])}>
                Add header
              </Button>
            </Stack>
          </Fieldset>

          <Group align="flex-start" grow>
            <Stack gap="xs">
              <Switch
                label="Allow private network"
                description="Deliver to loopback, LAN and other private addresses"
                checked={allowPrivate}
                onChange={(e) => setAllowPrivate(e.currentTarget.checked)}
              />
              {allowPrivate && (
                <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} p="xs">
                  <Text size="xs">
                    The SSRF guard is off for this webhook: its URL may reach services on this machine or your network. Only enable it for receivers you run.
                  </Text>
                </Alert>
              )}
            </Stack>
            <NumberInput
              label="Timeout (ms)"
              min={WEBHOOK_TIMEOUT_MS.min}
              max={WEBHOOK_TIMEOUT_MS.max}
              step={1000}
              value={timeoutMs}
              onChange={(v) => setTimeoutMs(typeof v === 'number' ? v : WEBHOOK_TIMEOUT_MS.default)}
              error={errors.timeoutMs}
            />
          </Group>

          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? 'Save webhook' : 'Create webhook'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
