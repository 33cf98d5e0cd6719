import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Investigation } from '../../../../preload/contract/investigations.ts';
import { call } from '../../api/hooks.ts';
import { fieldErrors } from '../../lib/field-errors.ts';
import { lengthError, lengthHint, maxLengthOf } from '../../lib/limits.ts';

const NAME_MAX = maxLengthOf('investigations.create', 'name');
const DESCRIPTION_MAX = maxLengthOf('investigations.create', 'description');

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Edit this investigation; create a new one when absent. */
  investigation?: Investigation;
  onSaved?: (inv: Investigation) => void;
  /** Tag suggestions (tags already used elsewhere). */
  knownTags?: string[];
}

/** Create or edit an investigation: name, description, tags. */
export function InvestigationFormDialog({ opened, onClose, investigation, onSaved, knownTags = [] }: Props) {
  const editing = investigation !== undefined;
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const qc = useQueryClient();

  // Reset from the record each time the dialog opens, so a cancelled edit leaves no trace.
  useEffect(() => {
    if (!opened) return;
    setName(investigation?.name ?? '');
    setDescription(investigation?.description ?? '');
    setTags(investigation?.tags ?? []);
    setErrors({});
  }, [opened, investigation]);

  // Only what changed is sent: an untouched field must not count as an edit (it would fire `investigation.updated`).
  const changes = investigation
    ? {
        ...(name !== investigation.name ? { name } : {}),
        ...(description !== investigation.description ? { description } : {}),
        ...(JSON.stringify(tags) !== JSON.stringify(investigation.tags) ? { tags } : {}),
      }
    : {};

  const save = useMutation<Investigation, Error, void>({
    mutationFn: () =>
      investigation
        ? call('investigations.update', { id: investigation.id, ...changes })
        : call('investigations.create', { name, description: description || undefined, tags }),
    onSuccess: (inv) => {
      void qc.invalidateQueries({ queryKey: ['investigations.list'] });
      void qc.invalidateQueries({ queryKey: ['investigations.get'] });
      notifications.show({ color: 'green', message: editing ? `Saved “${inv.name}”` : `Created “${inv.name}”` });
      onSaved?.(inv);
      onClose();
    },
    onError: (e) => {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else notifications.show({ color: 'red', title: editing ? 'Could not save' : 'Could not create', message: e.message });
    },
  });

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!name.trim()) {
      setErrors({ name: 'Name is required' });
      return;
    }
    if (lengthError(name, NAME_MAX) || lengthError(description, DESCRIPTION_MAX)) return;
    if (editing && Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    save.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title={editing ? 'Edit investigation' : 'New investigation'} size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors._form && (
            <Alert color="red" variant="light">
              {errors._form}
            </Alert>
          )}
          <TextInput
            label="Name"
            placeholder="e.g. Phishing kit on forum X"
            required
            data-autofocus
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              if (errors.name) setErrors(({ name: _n, ...rest }) => rest);
            }}
            // The limit is said, never applied by cutting what was typed or pasted.
            description={lengthHint(name, NAME_MAX)}
            error={errors.name ?? lengthError(name, NAME_MAX)}
          />
          <Textarea
            label="Description"
            placeholder="What is this investigation about? Scope, sources, leads…"
            autosize
            minRows={3}
            maxRows={10}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            description={lengthHint(description, DESCRIPTION_MAX)}
            error={errors.description ?? lengthError(description, DESCRIPTION_MAX)}
          />
          <TagsInput
            label="Tags"
            description="Press Enter after each tag"
            placeholder={tags.length ? '' : 'fraud, phishing…'}
            data={knownTags}
            value={tags}
            onChange={setTags}
            maxTags={50}
            clearable
            error={errors.tags}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {editing ? 'Save changes' : 'Create investigation'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
