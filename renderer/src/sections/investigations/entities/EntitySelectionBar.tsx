import { useState } from 'react';
import { Button, Group, Paper, Text } from '@mantine/core';
import { IconBolt, IconStack2, IconTrash, IconX } from '@tabler/icons-react';
import type { Entity } from '../../../../../preload/contract/entities.ts';
import { useAction } from '../../../api/hooks.ts';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { SelectionBatchDialog } from '../../graph/SelectionBatchDialog.tsx';
import { NewBatchDialog } from '../../batches/NewBatchDialog.tsx';

const entities = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'entity' : 'entities'}`;

/**
 * What to do with the checked rows of the entity table (issue #18 item 2): delete them (one confirmation with the
 * count), run one tool over them as one batch, or start a new batch with their values in its list.
 */
export function EntitySelectionBar({ investigationId, selected, onClear }: { investigationId: string; selected: Entity[]; onClear(): void }) {
  const [running, setRunning] = useState(false);
  const [batching, setBatching] = useState(false);
  const remove = useAction('entities.deleteMany', {
    invalidates: ['entities.list', 'investigations.get', 'investigations.list', 'graph.get'],
    success: (r) => `Deleted ${entities(r.deleted)}`,
  });
  const n = selected.length;
  const types = new Set(selected.map((e) => e.type));
  const oneType = types.size === 1 ? selected[0]!.type : undefined;

  return (
    <Paper withBorder radius="md" px="md" py={6} role="region" aria-label="Selection">
      <Group justify="space-between" gap="sm">
        <Text size="sm" fw={500} aria-live="polite" data-testid="selection-count">
          {entities(n)} selected
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="light" leftSection={<IconBolt size={14} />} onClick={() => setRunning(true)}>
            Run tool…
          </Button>
          <Button size="xs" variant="light" leftSection={<IconStack2 size={14} />} onClick={() => setBatching(true)}>
            Add to batch…
          </Button>
          <ConfirmButton
            size="xs"
            leftSection={<IconTrash size={14} />}
            title={`Delete ${entities(n)}?`}
            message={`Delete the ${entities(n)} you selected and the links that touch them from this investigation? This cannot be undone.`}
            confirmLabel={`Delete ${entities(n)}`}
            onConfirm={() =>
              remove
                .mutateAsync({ ids: selected.map((e) => e.id) })
                .then(onClear)
                .catch(() => undefined)
            }
          >
            Delete…
          </ConfirmButton>
          <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={onClear}>
            Clear selection
          </Button>
        </Group>
      </Group>
      {running && <SelectionBatchDialog investigationId={investigationId} entities={selected} onClose={() => setRunning(false)} />}
      {batching && (
        <NewBatchDialog investigationId={investigationId} values={selected.map((e) => e.value)} inputType={oneType} onClose={() => setBatching(false)} />
      )}
    </Paper>
  );
}
