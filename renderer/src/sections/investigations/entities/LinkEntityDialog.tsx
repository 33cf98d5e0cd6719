import { useMemo, useState } from 'react';
import { Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { LINK_TYPES, type Entity, type LinkType } from '../../../../../preload/contract/entities.ts';
import { useAction, useCall } from '../../../api/hooks.ts';
import { fieldErrors } from '../../../lib/field-errors.ts';
import { FormDialogFooter } from '../../../components/FormDialogFooter.tsx';

const label = (t: LinkType) => t.replace(/_/g, ' ');

/** Link an entity by hand to another of its investigation: `related`, or any link type the tools use. */
export function LinkEntityDialog({ entity, onClose }: { entity: Entity; onClose(): void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [target, setTarget] = useState<string | null>(null);
  const [type, setType] = useState<LinkType>('related');
  const [direction, setDirection] = useState<'out' | 'in'>('out');
  // Only the matches of what is typed are fetched: an investigation may hold a million entities.
  const found = useCall('entities.list', { investigationId: entity.investigationId, search: debounced || undefined, limit: 30 });
  const [picked, setPicked] = useState<Entity | null>(null);
  const options = useMemo(() => {
    const items = (found.data?.items ?? []).filter((e) => e.id !== entity.id);
    if (picked && !items.some((e) => e.id === picked.id)) items.unshift(picked);
    return items;
  }, [found.data, entity.id, picked]);
  const add = useAction('links.add', { invalidates: ['graph.get', 'links.list'], success: (r) => (r.created ? 'Linked' : 'Already linked that way') });
  const errors = fieldErrors(add.error);

  const submit = async () => {
    if (!target) return;
    const [sourceId, targetId] = direction === 'out' ? [entity.id, target] : [target, entity.id];
    await add.mutateAsync({ investigationId: entity.investigationId, sourceId, targetId, type });
    onClose();
  };

  return (
    <Modal opened onClose={onClose} title={`Link ${entity.type} “${entity.value}”`} size="lg" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        <Select
          label="Other entity"
          placeholder="Type part of its value or label"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          data={options.map((e) => ({ value: e.id, label: `${e.value}${e.label ? ` (${e.label})` : ''} · ${e.type}` }))}
          value={target}
          onChange={(id) => {
            setTarget(id);
            setPicked(options.find((e) => e.id === id) ?? null);
          }}
          nothingFoundMessage={found.isPending ? 'Searching…' : 'No other entity matches'}
          error={errors.targetId ?? errors.sourceId}
          data-autofocus
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label="Link type"
          allowDeselect={false}
          data={LINK_TYPES.map((t) => ({ value: t, label: label(t) }))}
          value={type}
          onChange={(v) => v && setType(v as LinkType)}
          error={errors.type}
          comboboxProps={{ withinPortal: true }}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Direction
          </Text>
          <SegmentedControl
            aria-label="Direction"
            value={direction}
            onChange={(v) => setDirection(v as 'out' | 'in')}
            data={[
              { value: 'out', label: `${entity.value} → other` },
              { value: 'in', label: `other → ${entity.value}` },
            ]}
          />
        </Stack>
        <FormDialogFooter
          error={errors._form ?? null}
          errorTitle="Could not link"
          onCancel={onClose}
          onSubmit={() => void submit().catch(() => undefined)}
          busy={add.isPending}
          disabled={!target}
          submitLabel="Link"
        />
      </Stack>
    </Modal>
  );
}
