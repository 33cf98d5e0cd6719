import { useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, Menu, Modal, Popover, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBookmark, IconDeviceFloppy, IconFilter, IconPencil, IconTrash, IconX } from '@tabler/icons-react';
import { groupChildren, type Filter } from '../../../../preload/contract/filters.ts';
import type { FilterList } from '../../../../preload/contract/filter-fields.ts';
import type { SavedFilter } from '../../../../preload/contract/search.ts';
import { useAction, useCall } from '../../api/hooks.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { FilterBuilder } from './FilterBuilder.tsx';
import { describeNode, draftIssues, fromDraft, toDraft, withoutPart, type DraftGroup } from './draft.ts';

interface Props {
  list: FilterList;
  /** Noun for labels: "entity", "delivery"… */
  noun: string;
  filter: Filter | null;
  onChange: (f: Filter | null) => void;
}

/** Filter button with the builder, saved-filter menu, active filters as removable badges, clear all. */
export function FilterBar({ list, noun, filter, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<DraftGroup>(() => toDraft(filter));
  const [saving, save] = useDisclosure(false);
  const [managing, manage] = useDisclosure(false);
  const saved = useCall('filters.saved.list', { list });
  const parts = filter ? groupChildren(filter) : [];
  const issues = draftIssues(list, draft);
  const built = fromDraft(list, draft);

  const openBuilder = () => {
    setDraft(toDraft(filter));
    setOpen(true);
  };

  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Popover opened={open} onChange={setOpen} position="bottom-start" width={680} shadow="md" trapFocus withinPortal>
          <Popover.Target>
            <Button size="xs" variant={filter ? 'light' : 'default'} leftSection={<IconFilter size={14} />} onClick={() => (open ? setOpen(false) : openBuilder())} aria-label={`Filter ${noun} list`}>
              Filter{parts.length ? ` (${parts.length})` : ''}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="sm">
              <FilterBuilder list={list} draft={draft} onChange={setDraft} issues={issues} />
              <Group justify="flex-end" gap="xs">
                <Button size="xs" variant="default" onClick={() => setOpen(false)}>
                  Cancel
                </Button>
                <Button
                  size="xs"
                  disabled={issues.length > 0}
                  onClick={() => {
                    onChange(built);
                    setOpen(false);
                  }}
                >
                  Apply filter
                </Button>
              </Group>
            </Stack>
          </Popover.Dropdown>
        </Popover>

        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="default" leftSection={<IconBookmark size={14} />} aria-label="Saved filters">
              Saved
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>Saved {noun} filters</Menu.Label>
            {saved.data?.length ? (
              saved.data.map((s) => (
                <Menu.Item key={s.id} onClick={() => onChange(s.filter)}>
                  {s.name}
                </Menu.Item>
              ))
            ) : (
              <Menu.Item disabled>{saved.isPending ? 'Loading…' : 'None saved yet'}</Menu.Item>
            )}
            <Menu.Divider />
            <Menu.Item leftSection={<IconDeviceFloppy size={14} />} disabled={!filter} onClick={save.open}>
              Save current filter…
            </Menu.Item>
            <Menu.Item leftSection={<IconPencil size={14} />} disabled={!saved.data?.length} onClick={manage.open}>
              Rename or delete…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>

        {parts.map((p, i) => (
          <Badge
            key={i}
            variant="light"
            size="lg"
            tt="none"
            fw={500}
            rightSection={
              <ActionIcon size="xs" variant="transparent" aria-label={`Remove filter ${describeNode(list, p)}`} onClick={() => onChange(withoutPart(filter!, i))}>
                <IconX size={12} />
              </ActionIcon>
            }
          >
            {i > 0 && filter && 'or' in filter && filter.or ? 'or ' : ''}
            {describeNode(list, p)}
          </Badge>
        ))}
        {filter && (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange(null)}>
            Clear all
          </Button>
        )}
      </Group>
      {filter && <SaveDialog opened={saving} onClose={save.close} list={list} filter={filter} existing={saved.data ?? []} />}
      <ManageDialog opened={managing} onClose={manage.close} items={saved.data ?? []} />
    </Stack>
  );
}

function SaveDialog(props: { opened: boolean; onClose: () => void; list: FilterList; filter: Filter; existing: SavedFilter[] }) {
  const { opened, onClose, list, filter, existing } = props;
  const [name, setName] = useState('');
  const [replace, setReplace] = useState(false);
  const act = useAction('filters.saved.save', { invalidates: ['filters.saved.list'], success: (s) => `Saved filter “${s.name}”` });
  const clash = existing.some((s) => s.name === name.trim());
  return (
    <Modal opened={opened} onClose={onClose} title="Save filter" centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          act.mutate(
            { list, name: name.trim(), filter, replace },
            {
              onSuccess: () => {
                setName('');
                setReplace(false);
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus required maxLength={100} error={clash && !replace ? 'A saved filter has this name' : undefined} />
          {clash && <Checkbox label="Replace the saved filter of that name" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={act.isPending} disabled={!name.trim() || (clash && !replace)}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ManageDialog(props: { opened: boolean; onClose: () => void; items: SavedFilter[] }) {
  const { opened, onClose, items } = props;
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const rename = useAction('filters.saved.rename', { invalidates: ['filters.saved.list'], success: 'Filter renamed' });
  const remove = useAction('filters.saved.delete', { invalidates: ['filters.saved.list'], success: 'Filter deleted' });
  return (
    <Modal opened={opened} onClose={onClose} title="Saved filters" centered size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      {items.length === 0 ? (
        <Text c="dimmed">None saved.</Text>
      ) : (
        <Table aria-label="Saved filters">
          <Table.Tbody>
            {items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  {editing?.id === s.id ? (
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        rename.mutate({ id: s.id, name: editing.name.trim() }, { onSuccess: () => setEditing(null) });
                      }}
                    >
                      <TextInput size="xs" aria-label={`New name for ${s.name}`} value={editing.name} onChange={(e) => setEditing({ id: s.id, name: e.currentTarget.value })} data-autofocus />
                    </form>
                  ) : (
                    <Text size="sm">{s.name}</Text>
                  )}
                </Table.Td>
                <Table.Td w={90}>
                  <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ id: s.id, name: s.name })} aria-label={`Rename ${s.name}`}>
                    Rename
                  </Button>
                </Table.Td>
                <Table.Td w={60}>
                  <ConfirmButton size="compact-xs" variant="subtle" aria-label={`Delete ${s.name}`} title="Delete saved filter?" message={`Delete the saved filter “${s.name}”?`} onConfirm={() => remove.mutateAsync({ id: s.id }).catch(() => undefined)}>
                    <IconTrash size={14} />
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}
