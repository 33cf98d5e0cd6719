import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, ColorSwatch, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ENTITY_TYPES, type Entity, type EntityType } from '../../../../../preload/contract/entities.ts';
import { call } from '../../../api/hooks.ts';
import { entityColor } from '../../../lib/entity-colors.ts';
import { fieldErrors } from '../../../lib/field-errors.ts';

/** What a value of each type looks like, shown as the placeholder. */
const EXAMPLES: Record<EntityType, string> = {
  username: 'johndoe',
  email: 'john@example.com',
  domain: 'example.com',
  phone: '+44 20 7946 0958',
  image: 'https://example.com/photo.jpg',
  url: 'https://example.com/profile/johndoe',
  ip: '203.0.113.7',
  account: 'github:johndoe',
  person: 'John Doe',
  organization: 'Example Ltd',
  location: 'London, UK',
  other: 'anything worth keeping',
};

interface Props {
  investigationId: string;
  opened: boolean;
  onClose: () => void;
  /** Preselect the type the table is filtered on. */
  defaultType?: EntityType;
}

/** Add an entity by hand. An existing (type, normalized value) is merged, not duplicated: the core decides. */
export function AddEntityDialog({ investigationId, opened, onClose, defaultType }: Props) {
  const [type, setType] = useState<EntityType>('username');
  const [value, setValue] = useState('');
  const [label, setLabel] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const qc = useQueryClient();

  useEffect(() => {
    if (!opened) return;
    setType(defaultType ?? 'username');
    setValue('');
    setLabel('');
    setErrors({});
  }, [opened, defaultType]);

  const add = useMutation<{ entity: Entity; created: boolean }, Error, void>({
    mutationFn: () => call('entities.add', { investigationId, type, value, label: label.trim() || undefined }),
    onSuccess: ({ entity, created }) => {
      void qc.invalidateQueries({ queryKey: ['entities.list'] });
      void qc.invalidateQueries({ queryKey: ['investigations.get'] });
      notifications.show(
        created
          ? { color: 'green', message: `Added ${entity.type} “${entity.value}”` }
          : { color: 'blue', title: 'Already in this investigation', message: `${entity.type} “${entity.value}” was merged; last seen is now.` },
      );
      onClose();
    },
    onError: (e) => {
      const f = fieldErrors(e);
      if (Object.keys(f).length) setErrors(f);
      else notifications.show({ color: 'red', title: 'Could not add the entity', message: e.message });
    },
  });

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!value.trim()) {
      setErrors({ value: 'Value is required' });
      return;
    }
    add.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Add entity" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors._form && (
            <Alert color="red" variant="light">
              {errors._form}
            </Alert>
          )}
          <Select
            label="Type"
            required
            allowDeselect={false}
            data={ENTITY_TYPES.map((t) => ({ value: t, label: t }))}
            value={type}
            onChange={(v) => v && setType(v as EntityType)}
            leftSection={<ColorSwatch color={entityColor(type)} size={12} />}
            renderOption={({ option }) => (
              <Group gap="xs">
                <ColorSwatch color={entityColor(option.value)} size={12} />
                {option.label}
              </Group>
            )}
            error={errors.type}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label="Value"
            required
            data-autofocus
            placeholder={EXAMPLES[type]}
            value={value}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              if (errors.value) setErrors(({ value: _v, ...rest }) => rest);
            }}
            error={errors.value}
            description={type === 'email' || type === 'domain' ? 'Stored lower-cased; duplicates are merged' : type === 'phone' ? 'Stored as E.164 when the number can be parsed' : undefined}
          />
          <TextInput
            label="Label"
            placeholder="Optional note shown beside the value"
            value={label}
            maxLength={500}
            onChange={(e) => setLabel(e.currentTarget.value)}
            error={errors.label}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add entity
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
