import { useEffect, useState } from 'react';
import { ActionIcon, Alert, Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { NOTES_MAX, type Entity } from '../../../../../preload/contract/entities.ts';
import { useAction } from '../../../api/hooks.ts';
import { fieldErrors } from '../../../lib/field-errors.ts';
import { FormDialogFooter } from '../../../components/FormDialogFooter.tsx';
import { fromRows, toRows, type PropertyRow } from './property-rows.ts';

/** Edit an entity by hand: its label, the investigator's notes and its properties (type and value are its identity). */
export function EditEntityDialog({ entity, onClose }: { entity: Entity; onClose(): void }) {
  const [label, setLabel] = useState(entity.label ?? '');
  const [notes, setNotes] = useState(entity.notes);
  const [rows, setRows] = useState<PropertyRow[]>(() => toRows(entity.properties));
  const [rowError, setRowError] = useState<{ index: number; message: string } | null>(null);
  const save = useAction('entities.update', {
    invalidates: ['entities.list', 'entities.get', 'graph.get'],
    success: (e) => `Saved ${e.type} “${e.value}”`,
  });
  const errors = fieldErrors(save.error);
  useEffect(() => setRowError(null), [rows]);

  const submit = async () => {
    const parsed = fromRows(rows);
    if (!parsed.ok) {
      setRowError({ index: parsed.index, message: parsed.message });
      return;
    }
    await save.mutateAsync({ id: entity.id, label: label.trim() || null, notes, properties: parsed.properties });
    onClose();
  };
  const setRow = (i: number, patch: Partial<PropertyRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Modal opened onClose={onClose} title={`Edit ${entity.type} “${entity.value}”`} size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        <TextInput
          label="Label"
          placeholder="Shown beside the value"
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          error={errors.label}
          data-autofocus
        />
        <Textarea
          label="Notes"
          placeholder="What you know about it, where you saw it, what to check next"
          autosize
          minRows={3}
          maxRows={10}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={errors.notes}
          description={notes.length > NOTES_MAX * 0.9 ? `${notes.length.toLocaleString()} of ${NOTES_MAX.toLocaleString()} characters` : undefined}
        />
        <Stack gap={6} role="group" aria-label="Properties">
          <Text size="sm" fw={500}>
            Properties
          </Text>
          {rows.length === 0 && (
            <Text size="sm" c="dimmed">
              None yet.
            </Text>
          )}
          {rows.map((r, i) => (
            <Group key={i} gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                aria-label={`Property ${i + 1} name`}
                placeholder="name"
                value={r.key}
                onChange={(e) => setRow(i, { key: e.currentTarget.value })}
                w={180}
                error={rowError?.index === i && !r.key.trim() ? rowError.message : undefined}
              />
              <TextInput
                aria-label={`Property ${i + 1} value`}
                placeholder="value"
                value={r.text}
                ff={r.json ? 'monospace' : undefined}
                description={r.json ? 'JSON' : undefined}
                onChange={(e) => setRow(i, { text: e.currentTarget.value })}
                style={{ flex: 1 }}
                error={rowError?.index === i && r.key.trim() ? rowError.message : undefined}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                aria-label={`Remove property ${r.key || i + 1}`}
                onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="subtle"
            size="xs"
            w="fit-content"
            leftSection={<IconPlus size={14} />}
            onClick={() => setRows((rs) => [...rs, { key: '', text: '', json: false }])}
          >
            Add property
          </Button>
          {errors.properties && (
            <Alert color="red" variant="light" py={6}>
              {errors.properties}
            </Alert>
          )}
        </Stack>
        <FormDialogFooter
          error={errors._form ?? errors.id ?? null}
          errorTitle="Could not save"
          onCancel={onClose}
          onSubmit={() => void submit().catch(() => undefined)}
          busy={save.isPending}
          submitLabel="Save"
        />
      </Stack>
    </Modal>
  );
}
