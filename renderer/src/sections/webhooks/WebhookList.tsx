import { useState } from 'react';
import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import type { Webhook } from '../../../../preload/contract/webhooks.ts';
import { useCall } from '../../api/hooks.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useWebhookActions } from './actions.ts';
import { useLiveWebhooks } from './live.ts';
import { SecretDialog } from './SecretDialog.tsx';
import { TestResultDialog } from './TestResultDialog.tsx';
import { WebhookCard } from './WebhookCard.tsx';
import { WebhookFormDialog } from './WebhookFormDialog.tsx';

export function WebhookList() {
  useLiveWebhooks();
  const q = useCall('webhooks.list', {});
  const [creating, create] = useDisclosure(false);
  const [editing, setEditing] = useState<Webhook | undefined>();
  const actions = useWebhookActions();
  const [created, setCreated] = useState<string | null>(null);

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Webhooks</Title>
          <Text size="sm" c="dimmed">
            Signed, retried POSTs that tell other systems what Dossier found.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
          New webhook
        </Button>
      </Group>

      {q.isPending ? (
        <Loading label="Loading webhooks…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.length === 0 ? (
        <Empty title="No webhooks yet">
          <Stack align="center" gap="sm" component="span">
            <span>Add one to receive events such as entity.discovered or batch.completed.</span>
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={create.open}>
              Add your first webhook
            </Button>
          </Stack>
        </Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {q.data.map((w) => (
            <WebhookCard key={w.id} webhook={w} actions={actions} onEdit={() => setEditing(w)} />
          ))}
        </SimpleGrid>
      )}

      <WebhookFormDialog opened={creating} onClose={create.close} onCreated={(w) => setCreated(w.secret)} />
      <WebhookFormDialog opened={editing !== undefined} onClose={() => setEditing(undefined)} webhook={editing} />
      <SecretDialog secret={created} title="Webhook created" onClose={() => setCreated(null)} />
      <SecretDialog
        secret={actions.secret?.secret ?? null}
        title="Secret rotated"
        note={
          actions.secret?.previousSecretExpiresAt
            ? `The previous secret keeps signing beside this one until ${new Date(actions.secret.previousSecretExpiresAt).toLocaleString()}.`
            : 'The previous secret no longer signs.'
        }
        onClose={() => actions.setSecret(null)}
      />
      <TestResultDialog result={actions.test?.result ?? null} webhookId={actions.test?.webhookId ?? ''} onClose={() => actions.setTest(null)} />
    </Stack>
  );
}
