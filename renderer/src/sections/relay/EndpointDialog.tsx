import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Code, Group, Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  HMAC_ALGORITHMS,
  HMAC_ENCODINGS,
  RELAY_DEFAULT_BODY_LIMIT,
  RELAY_DEFAULT_TOLERANCE_S,
  RELAY_PROVIDERS,
  type RelayEndpoint,
  type RelayProviderId,
  type RelayProviderOptions,
} from '../../../../preload/contract/relay.ts';
import { call } from '../../api/hooks.ts';
import { fieldErrors } from '../../lib/field-errors.ts';
import { CopyIcon } from './EndpointsView.tsx';
import { afterCreateText } from './endpoint-hints.ts';

interface Props {
  opened: boolean;
  onClose: () => void;
  endpoint?: RelayEndpoint;
}

/** Which header a provider signs with, as the picker shows it. */
export function providerOption(p: (typeof RELAY_PROVIDERS)[number]) {
  return { value: p.id, label: `${p.label} — ${p.signatureHeader ?? 'no signature'}` };
}

/** Create or edit a relay endpoint; after a create, show the URL and secret to paste into the provider. */
export function EndpointDialog({ opened, onClose, endpoint }: Props) {
  const editing = endpoint !== undefined;
  const [slug, setSlug] = useState('');
  const [provider, setProvider] = useState<RelayProviderId>('github');
  const [secret, setSecret] = useState('');
  const [forwardTo, setForwardTo] = useState('');
  const [channelId, setChannelId] = useState('');
  const [active, setActive] = useState(true);
  const [bodyLimit, setBodyLimit] = useState<number>(RELAY_DEFAULT_BODY_LIMIT);
  const [tolerance, setTolerance] = useState<number>(RELAY_DEFAULT_TOLERANCE_S);
  const [options, setOptions] = useState<RelayProviderOptions>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ url: string | null; secret: string | null; slug: string } | null>(null);
  const qc = useQueryClient();

  useEffect(() => {
    if (!opened) return;
    setSlug(endpoint?.slug ?? '');
    setProvider(endpoint?.provider ?? 'github');
    setSecret('');
    setForwardTo(endpoint?.forwardTo ?? '');
    setChannelId(endpoint?.channelId ?? '');
    setActive(endpoint?.active ?? true);
    setBodyLimit(endpoint?.bodyLimit ?? RELAY_DEFAULT_BODY_LIMIT);
    setTolerance(endpoint?.toleranceSeconds ?? RELAY_DEFAULT_TOLERANCE_S);
    setOptions(endpoint?.options ?? {});
    setErrors({});
    setCreated(null);
  }, [opened, endpoint]);

  const info = RELAY_PROVIDERS.find((p) => p.id === provider)!;
  const cleanOptions = (): RelayProviderOptions =>
    Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== '')) as RelayProviderOptions;

  const save = useMutation({
    mutationFn: async () => {
      const common = {
        slug: slug.trim(),
        provider,
        forwardTo: forwardTo.trim() ? forwardTo.trim() : null,
        channelId: channelId.trim() ? channelId.trim() : null,
        active,
        bodyLimit,
        toleranceSeconds: tolerance,
        options: cleanOptions(),
        ...(secret ? { secret } : {}),
      };
      if (endpoint) return { kind: 'updated' as const, ep: await call('relay.endpoints.update', { id: endpoint.id, ...common }) };
      return { kind: 'created' as const, ep: await call('relay.endpoints.create', common) };
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: ['relay.endpoints.list'] });
      if (r.kind === 'created') {
        setCreated({ url: r.ep.url, secret: r.ep.secret, slug: r.ep.slug });
      } else {
        notifications.show({ color: 'green', message: 'Endpoint saved' });
        onClose();
      }
    },
    onError: (e) => {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else notifications.show({ color: 'red', title: 'Could not save the endpoint', message: e.message });
    },
  });

  function submit(ev: FormEvent) {
    ev.preventDefault();
    const local: Record<string, string> = {};
    if (!/^[a-z0-9-]+$/.test(slug.trim())) local.slug = 'Use lowercase letters, digits and dashes';
    setErrors(local);
    if (Object.keys(local).length === 0) save.mutate();
  }

  const title = editing ? `Edit endpoint ${endpoint.slug}` : 'New relay endpoint';
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {created ? (
        <Stack gap="md" aria-label="Endpoint created">
          <Alert color="green" variant="light" title={`Endpoint ${created.slug} is ready`}>
            {afterCreateText(provider, Boolean(created.secret))}
          </Alert>
          <Stack gap={4}>
            <Text size="sm" fw={600}>URL</Text>
            <Group gap="xs" wrap="nowrap">
              <Code block style={{ flex: 1, wordBreak: 'break-all' }} aria-label="Endpoint URL">
                {created.url}
              </Code>
              <CopyIcon value={created.url ?? ''} label="Copy URL" />
            </Group>
          </Stack>
          {created.secret && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>Secret</Text>
              <Group gap="xs" wrap="nowrap">
                <Code block style={{ flex: 1, wordBreak: 'break-all' }} aria-label="Endpoint secret">
                  {created.secret}
                </Code>
                <CopyIcon value={created.secret} label="Copy secret" />
              </Group>
            </Stack>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {errors._form && <Alert color="red" variant="light">{errors._form}</Alert>}
            <TextInput
              label="Slug"
              description="The endpoint listens at /hooks/<slug>"
              required
              data-autofocus
              value={slug}
              onChange={(e) => setSlug(e.currentTarget.value.toLowerCase())}
              error={errors.slug}
            />
            <Select
              label="Provider"
              description={info.signatureHeader ? `Signs with ${info.signatureHeader}${info.timestampHeader ? `; timestamp in ${info.timestampHeader}` : ''}` : 'No signature is checked'}
              data={RELAY_PROVIDERS.map(providerOption)}
              value={provider}
              onChange={(v) => v && setProvider(v as RelayProviderId)}
              allowDeselect={false}
              error={errors.provider}
            />
            {provider === 'hmac' && (
              <SimpleGrid cols={2}>
                <TextInput label="Signature header" placeholder="x-signature" value={options.header ?? ''} onChange={(e) => setOptions({ ...options, header: e.currentTarget.value })} />
                <TextInput label="Prefix" placeholder="e.g. sha256=" value={options.prefix ?? ''} onChange={(e) => setOptions({ ...options, prefix: e.currentTarget.value })} />
                <Select label="Algorithm" data={[...HMAC_ALGORITHMS]} value={options.algorithm ?? 'sha256'} onChange={(v) => setOptions({ ...options, algorithm: (v ?? 'sha256') as 'sha256' })} allowDeselect={false} />
                <Select label="Encoding" data={[...HMAC_ENCODINGS]} value={options.encoding ?? 'hex'} onChange={(v) => setOptions({ ...options, encoding: (v ?? 'hex') as 'hex' })} allowDeselect={false} />
              </SimpleGrid>
            )}
            {(provider === 'hmac' || provider === 'none') && (
              <SimpleGrid cols={2}>
                <TextInput label="Delivery id header" placeholder="optional, e.g. x-request-id" value={options.idHeader ?? ''} onChange={(e) => setOptions({ ...options, idHeader: e.currentTarget.value })} />
                <TextInput label="Event type header" placeholder="optional, e.g. x-event" value={options.eventHeader ?? ''} onChange={(e) => setOptions({ ...options, eventHeader: e.currentTarget.value })} />
              </SimpleGrid>
            )}
            {provider !== 'none' && (
              <PasswordInput
                label="Secret"
                description={editing ? 'Leave empty to keep the current secret' : `${info.secretHint}; leave empty to generate one`}
                value={secret}
                onChange={(e) => setSecret(e.currentTarget.value)}
                error={errors.secret}
              />
            )}
            <TextInput
              label="Forward to"
              description="Accepted requests are forwarded here byte-exact (optional)"
              placeholder="http://localhost:3000/webhooks"
              value={forwardTo}
              onChange={(e) => setForwardTo(e.currentTarget.value)}
              error={errors.forwardTo}
            />
            <TextInput
              label="Team channel"
              description="Also take requests from this team server channel (its id, chn_…); needs Settings → Team connected (optional)"
              placeholder="chn_…"
              value={channelId}
              onChange={(e) => setChannelId(e.currentTarget.value)}
              error={errors.channelId}
            />
            <SimpleGrid cols={2}>
              <NumberInput label="Body limit (bytes)" min={1} value={bodyLimit} onChange={(v) => setBodyLimit(Number(v) || RELAY_DEFAULT_BODY_LIMIT)} error={errors.bodyLimit} />
              <NumberInput label="Timestamp tolerance (s)" min={1} value={tolerance} onChange={(v) => setTolerance(Number(v) || RELAY_DEFAULT_TOLERANCE_S)} error={errors.toleranceSeconds} />
            </SimpleGrid>
            <Switch label="Active" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                {editing ? 'Save endpoint' : 'Create endpoint'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
