import { useState } from 'react';
import { Button, Checkbox, Chip, Drawer, Group, Paper, Stack, Table, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { ENTITY_TYPES, type Entity, type EntityType } from '../../../../../preload/contract/entities.ts';
import { useAction, useCall, useInvalidateOn } from '../../../api/hooks.ts';
import { useVerdicts, VerdictControl } from '../../verdicts/verdicts.tsx';
import type { EntityVerdict } from '../../../../../preload/contract/verdicts.ts';
import { Pager } from '../../../components/Pager.tsx';
import { SearchInput } from '../../../components/SearchInput.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { Empty, ErrorState, Loading } from '../../../components/States.tsx';
import { entityColor } from '../../../lib/entity-colors.ts';
import { formatDateTime, formatRelative } from '../../../lib/time.ts';
import { AddEntityDialog } from './AddEntityDialog.tsx';
import { EntityTypeBadge } from './EntityTypeBadge.tsx';
import { FilterBar } from '../../../components/filters/FilterBar.tsx';
import { useEntityFilter } from '../../../lib/list-filter.ts';
import { EntityDetails } from '../../graph/DetailsPanel.tsx';
import { RunToolDialog } from '../../tools/RunToolDialog.tsx';
import { EditEntityDialog } from './EditEntityDialog.tsx';
import { LinkEntityDialog } from './LinkEntityDialog.tsx';
import { EntitySelectionBar } from './EntitySelectionBar.tsx';
import { EntityRowMenu, type RowAction } from './EntityRowMenu.tsx';

const PAGE_SIZE = 50;
const ALL = 'all';

/** The "Entities" tab: every entity of an investigation, filterable by type and text. */
export function EntitiesTab({ investigationId }: { investigationId: string }) {
  const [type, setType] = useState<EntityType | typeof ALL>(ALL);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [page, setPage] = useState(1);
  const [adding, add] = useDisclosure(false);
  // Shared with the other views of this investigation's entities (timeline): see lib/list-filter.ts.
  const [filter, setFilter] = useEntityFilter(investigationId);
  // Checked rows, kept across pages and filters until cleared (the entity itself, for the bulk dialogs).
  const [selected, setSelected] = useState<ReadonlyMap<string, Entity>>(new Map());
  const [detailsId, setDetailsId] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ action: Exclude<RowAction, 'details'>; entity: Entity } | null>(null);
  const onRowAction = (entity: Entity, action: RowAction) => (action === 'details' ? setDetailsId(entity.id) : setDialog({ action, entity }));
  const toggle = (e: Entity, on: boolean) =>
    setSelected((m) => {
      const next = new Map(m);
      if (on) next.set(e.id, e);
      else next.delete(e.id);
      return next;
    });

  useInvalidateOn(['investigation.changed', 'entities.changed'], ['entities.list']);
  const q = useCall(
    'entities.list',
    {
      investigationId,
      type: type === ALL ? undefined : type,
      search: debounced || undefined,
      filter: filter ?? undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    },
    { placeholderData: keepPreviousData },
  );
  const verdicts = useVerdicts(investigationId);
  const remove = useAction('entities.delete', {
    invalidates: ['entities.list', 'investigations.get', 'investigations.list'],
    success: 'Entity deleted',
  });

  const counts = q.data?.counts ?? {};
  const grand = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  const typesShown = ENTITY_TYPES.filter((t) => (counts[t] ?? 0) > 0 || t === type);
  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (q.data && page > pages) setPage(pages);
  const pageItems = q.data?.items ?? [];
  const onPage = pageItems.filter((e) => selected.has(e.id)).length;
  const selectPage = (on: boolean) =>
    setSelected((m) => {
      const next = new Map(m);
      for (const e of pageItems) {
        if (on) next.set(e.id, e);
        else next.delete(e.id);
      }
      return next;
    });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center" gap="sm">
        <Group gap="sm">
          <SearchInput
            label="Search entities"
            clearLabel="Clear entity search"
            placeholder="Search value or label"
            value={search}
            onChange={(v) => {
              setSearch(v);
              setPage(1);
            }}
            w={280}
          />
        </Group>
        <Button leftSection={<IconPlus size={16} />} onClick={add.open}>
          Add entity
        </Button>
      </Group>

      <FilterBar
        list="entities"
        noun="entity"
        filter={filter}
        onChange={(f) => {
          setFilter(f);
          setPage(1);
        }}
      />

      {grand > 0 && (
        <Chip.Group
          multiple={false}
          value={type}
          onChange={(v) => {
            setType(v as EntityType | typeof ALL);
            setPage(1);
          }}
        >
          <Group gap={6} role="radiogroup" aria-label="Entity type filter">
            <Chip value={ALL} size="xs" variant="outline">
              All {grand.toLocaleString()}
            </Chip>
            {typesShown.map((t) => (
              <Chip key={t} value={t} size="xs" variant="outline" color={entityColor(t)}>
                {t} {(counts[t] ?? 0).toLocaleString()}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}

      {selected.size > 0 && <EntitySelectionBar investigationId={investigationId} selected={[...selected.values()]} onClear={() => setSelected(new Map())} />}

      <Paper withBorder radius="md">
        {q.isPending ? (
          <Loading label="Loading entities…" />
        ) : q.isError ? (
          <Stack p="md">
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          </Stack>
        ) : q.data.items.length === 0 ? (
          grand === 0 ? (
            <Empty title="No entities yet">
              <Stack align="center" gap="sm" component="span">
                <span>Run a tool on this investigation, or add what you already know by hand.</span>
                <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={add.open}>
                  Add the first entity
                </Button>
              </Stack>
            </Empty>
          ) : (
            <Empty title="No entities match">
              {filter
                ? 'No entity matches the filter. Remove a condition or clear all.'
                : debounced
                  ? `Nothing ${type === ALL ? '' : `of type ${type} `}matches “${debounced}”.`
                  : `No entities of type ${type}.`}
            </Empty>
          )
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover verticalSpacing="xs" horizontalSpacing="md" aria-label="Entities">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all on this page"
                      checked={onPage > 0 && onPage === pageItems.length}
                      indeterminate={onPage > 0 && onPage < pageItems.length}
                      onChange={(ev) => selectPage(ev.currentTarget.checked)}
                    />
                  </Table.Th>
                  <Table.Th w={120}>Type</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Label</Table.Th>
                  <Table.Th w={150}>Verdict</Table.Th>
                  <Table.Th w={130}>First seen</Table.Th>
                  <Table.Th w={130}>Last seen</Table.Th>
                  <Table.Th w={150}>Source run</Table.Th>
                  <Table.Th w={84}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
                {q.data.items.map((e) => (
                  <EntityRow
                    key={e.id}
                    entity={e}
                    verdict={verdicts.get(e.id)}
                    selected={selected.has(e.id)}
                    onSelect={(on) => toggle(e, on)}
                    onAction={(a) => onRowAction(e, a)}
                    onDelete={() =>
                      remove
                        .mutateAsync({ id: e.id })
                        .then(() => toggle(e, false))
                        .catch(() => undefined)
                    }
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Pager label="Entity pages" page={page} pageSize={PAGE_SIZE} total={q.data ? total : 0} capped={q.data?.totalCapped} onChange={setPage} />

      <AddEntityDialog investigationId={investigationId} opened={adding} onClose={add.close} defaultType={type === ALL ? undefined : type} />
      <Drawer
        opened={detailsId !== null}
        onClose={() => setDetailsId(null)}
        position="right"
        size={420}
        title="Entity details"
        closeButtonProps={{ 'aria-label': 'Close details' }}
      >
        {detailsId && (
          <Stack gap="sm" role="region" aria-label="Details">
            <EntityDetails
              id={detailsId}
              onRunTool={(n) => setDialog({ action: 'run', entity: { ...(pageItems.find((i) => i.id === n.id) as Entity), ...n } })}
            />
          </Stack>
        )}
      </Drawer>
      {dialog?.action === 'run' && (
        <RunToolDialog
          opened
          onClose={() => setDialog(null)}
          investigationId={investigationId}
          entity={{ id: dialog.entity.id, type: dialog.entity.type, value: dialog.entity.value }}
        />
      )}
      {dialog?.action === 'edit' && <EditEntityDialog entity={dialog.entity} onClose={() => setDialog(null)} />}
      {dialog?.action === 'link' && <LinkEntityDialog entity={dialog.entity} onClose={() => setDialog(null)} />}
    </Stack>
  );
}

function Seen({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatDateTime(iso)} openDelay={400}>
      <Text size="sm" c="dimmed" w="fit-content">
        {formatRelative(iso)}
      </Text>
    </Tooltip>
  );
}

/** Clicks on a row's own controls (checkbox, verdict, menu, delete) do what they say, not open the details. */
const CONTROLS = 'button, input, a, label, [role="menu"], [role="radiogroup"]';

function EntityRow(props: {
  entity: Entity;
  verdict: EntityVerdict | undefined;
  selected: boolean;
  onSelect(on: boolean): void;
  onAction(a: RowAction): void;
  onDelete: () => Promise<unknown>;
}) {
  const { entity: e, verdict, onDelete } = props;
  return (
    <Table.Tr
      bg={props.selected ? 'var(--mantine-primary-color-light)' : undefined}
      style={{ cursor: 'pointer' }}
      onClick={(ev) => {
        if (!(ev.target as HTMLElement).closest(CONTROLS)) props.onAction('details');
      }}
    >
      <Table.Td>
        <Checkbox aria-label={`Select ${e.type} ${e.value}`} checked={props.selected} onChange={(ev) => props.onSelect(ev.currentTarget.checked)} />
      </Table.Td>
      <Table.Td>
        <EntityTypeBadge type={e.type} />
      </Table.Td>
      <Table.Td>
        <UnstyledButton onClick={() => props.onAction('details')} aria-label={`Details of ${e.type} ${e.value}`}>
          <Text
            size="sm"
            ff="monospace"
            style={{ wordBreak: 'break-all' }}
            c={verdict?.verdict === 'false_positive' ? 'dimmed' : undefined}
            td={verdict?.verdict === 'false_positive' ? 'line-through' : undefined}
            title={e.normalized !== e.value ? `normalized: ${e.normalized}` : undefined}
          >
            {e.value}
          </Text>
        </UnstyledButton>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={e.label ? undefined : 'dimmed'}>
          {e.label ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <VerdictControl entityId={e.id} label={`${e.type} ${e.value}`} verdict={verdict} />
      </Table.Td>
      <Table.Td>
        <Seen iso={e.firstSeen} />
      </Table.Td>
      <Table.Td>
        <Seen iso={e.lastSeen} />
      </Table.Td>
      <Table.Td>
        {e.sourceRunId ? (
          <Text size="xs" ff="monospace" truncate="end" maw={140} title={e.sourceRunId}>
            {e.sourceRunId}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            added by hand
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <EntityRowMenu entity={e} onAction={props.onAction} />
          <ConfirmButton
            variant="subtle"
            color="red"
            size="compact-md"
            px={6}
            aria-label={`Delete ${e.type} ${e.value}`}
            title="Delete entity?"
            message={`Delete ${e.type} “${e.value}” and its links from this investigation? This cannot be undone.`}
            confirmLabel="Delete entity"
            onConfirm={onDelete}
          >
            <IconTrash size={16} />
          </ConfirmButton>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
