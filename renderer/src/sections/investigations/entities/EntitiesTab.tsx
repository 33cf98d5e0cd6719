import { useState } from 'react';
import { Button, Chip, Group, Paper, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
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
                  <Table.Th w={120}>Type</Table.Th>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Label</Table.Th>
                  <Table.Th w={150}>Verdict</Table.Th>
                  <Table.Th w={130}>First seen</Table.Th>
                  <Table.Th w={130}>Last seen</Table.Th>
                  <Table.Th w={150}>Source run</Table.Th>
                  <Table.Th w={56}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
                {q.data.items.map((e) => (
                  <EntityRow key={e.id} entity={e} verdict={verdicts.get(e.id)} onDelete={() => remove.mutateAsync({ id: e.id }).catch(() => undefined)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Pager label="Entity pages" page={page} pageSize={PAGE_SIZE} total={q.data ? total : 0} capped={q.data?.totalCapped} onChange={setPage} />

      <AddEntityDialog investigationId={investigationId} opened={adding} onClose={add.close} defaultType={type === ALL ? undefined : type} />
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

function EntityRow({ entity: e, verdict, onDelete }: { entity: Entity; verdict: EntityVerdict | undefined; onDelete: () => Promise<unknown> }) {
  return (
    <Table.Tr>
      <Table.Td>
        <EntityTypeBadge type={e.type} />
      </Table.Td>
      <Table.Td>
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
      </Table.Td>
    </Table.Tr>
  );
}
