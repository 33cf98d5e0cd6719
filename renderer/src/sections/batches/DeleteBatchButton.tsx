import { useState } from 'react';
import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { Batch } from '../../../../preload/contract/batches.ts';
import { useAction, useCall } from '../../api/hooks.ts';
import { ErrorState, Loading } from '../../components/States.tsx';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * Delete a finished batch, and optionally what only it found (issue #18 item 2): the count is asked of the core
 * when the dialog opens, so the user sees exactly what goes before confirming; the delete is one transaction.
 */
export function DeleteBatchButton({ batch: b }: { batch: Batch }) {
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [withFinds, setWithFinds] = useState(false);
  const only = useCall('batches.onlyFinds', { id: b.id }, { enabled: opened, staleTime: 0 });
  const remove = useAction('batches.delete', {
    invalidates: ['batches.list', 'entities.list', 'graph.get', 'investigations.get', 'investigations.list'],
    success: (r) =>
      r.entities || r.links ? `Batch deleted with ${plural(r.entities, 'entity', 'entities')} and ${plural(r.links, 'link', 'links')}` : 'Batch deleted',
  });
  const n = only.data;
  const none = n !== undefined && n.entities === 0 && n.links === 0;
  const close = () => {
    setOpened(false);
    setWithFinds(false);
  };

  return (
    <>
      <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => setOpened(true)}>
        Delete
      </Button>
      <Modal opened={opened} onClose={close} title={`Delete “${b.name}”?`} centered closeButtonProps={{ 'aria-label': 'Close' }}>
        <Stack gap="md">
          <Text size="sm">The batch and its operation log are deleted.</Text>
          {only.isPending ? (
            <Loading label="Counting what only this batch found…" />
          ) : only.isError ? (
            <ErrorState error={only.error} onRetry={() => void only.refetch()} />
          ) : none ? (
            <Text size="sm" c="dimmed" data-testid="only-finds">
              Everything it found was also found by another run, or added, edited or linked by hand: it all stays.
            </Text>
          ) : (
            <Checkbox
              checked={withFinds}
              onChange={(e) => setWithFinds(e.currentTarget.checked)}
              label={`Also delete the ${plural(n!.entities, 'entity', 'entities')} and ${plural(n!.links, 'link', 'links')} only this batch found`}
              description="Entities another run also found, and those you added, edited or linked by hand, stay."
              data-testid="only-finds"
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              disabled={withFinds && !n}
              onClick={() =>
                void remove
                  .mutateAsync({ id: b.id, withFinds })
                  .then(() => {
                    close();
                    return navigate('/batches', { replace: true });
                  })
                  .catch(() => undefined)
              }
            >
              {withFinds && n ? `Delete batch and ${plural(n.entities, 'entity', 'entities')}` : 'Delete batch'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
