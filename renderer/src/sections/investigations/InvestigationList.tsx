import { useState } from 'react';
import { ActionIcon, Anchor, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconArchive, IconArchiveOff, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import type { Investigation, InvestigationStatus } from '../../../../preload/contract/investigations.ts';
import { useCall, useInvalidateOn } from '../../api/hooks.ts';
import { Pager } from '../../components/Pager.tsx';
import { SearchInput } from '../../components/SearchInput.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { TRUNCATING_CELL, Truncated } from '../../components/Truncated.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatDateTime, formatRelative } from '../../lib/time.ts';
import { InvestigationFormDialog } from './InvestigationFormDialog.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { TagList } from './TagList.tsx';
import { useInvestigationActions } from './actions.ts';
import { ImportInvestigationButton } from '../reports/ImportInvestigationButton.tsx';
import { FilterBar } from '../../components/filters/FilterBar.tsx';
import { useListFilter } from '../../lib/list-filter.ts';

const PAGE_SIZE = 25;
type StatusFilter = InvestigationStatus | 'all';

export function InvestigationList() {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<StatusFilter>('active');
  const [page, setPage] = useState(1);
  const [creating, create] = useDisclosure(false);
  const [editing, setEditing] = useState<Investigation | undefined>();
  const navigate = useNavigate();
  // Kept for the session like the entity table's filter (lib/list-filter.ts): a reload keeps it.
  const [filter, setFilter] = useListFilter('investigations');

  useInvalidateOn(['investigation.changed', 'entities.changed'], ['investigations.list']);
  const q = useCall(
    'investigations.list',
    {
      search: debounced || undefined,
      status: status === 'all' ? undefined : status,
      filter: filter ?? undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    },
    { placeholderData: keepPreviousData },
  );

  const total = q.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // A delete elsewhere can leave us past the last page.
  if (q.data && page > pages) setPage(pages);
  const knownTags = [...new Set(q.data?.items.flatMap((i) => i.tags) ?? [])];
  // Tells "nothing yet" (first run) apart from "nothing matches the filters".
  const anyAtAll = useCall('investigations.list', { limit: 1, offset: 0 });

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Investigations</Title>
          <Text size="sm" c="dimmed">
            Every case you work on, with its entities, runs and evidence.
          </Text>
        </div>
        <Group gap="xs">
          <ImportInvestigationButton />
          <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
            New investigation
          </Button>
        </Group>
      </Group>

      <Group justify="space-between" gap="sm">
        <SearchInput
          label="Search investigations"
          placeholder="Search name or description"
          value={search}
          onChange={(v) => {
            setSearch(v);
            setPage(1);
          }}
          w={340}
        />
        <SegmentedControl
          aria-label="Status filter"
          value={status}
          onChange={(v) => {
            setStatus(v as StatusFilter);
            setPage(1);
          }}
          data={[
            { label: 'Active', value: 'active' },
            { label: 'Archived', value: 'archived' },
            { label: 'All', value: 'all' },
          ]}
        />
      </Group>

      <FilterBar
        list="investigations"
        noun="investigation"
        filter={filter}
        onChange={(f) => {
          setFilter(f);
          setPage(1);
        }}
      />

      <Paper withBorder radius="md">
        {q.isPending ? (
          <Loading label="Loading investigations…" />
        ) : q.isError ? (
          <Stack p="md">
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          </Stack>
        ) : q.data.items.length === 0 ? (
          anyAtAll.data?.total === 0 ? (
            <Empty title="No investigations yet">
              <Stack align="center" gap="sm" component="span">
                <span>Create one to start collecting entities and evidence.</span>
                <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={create.open}>
                  Create your first investigation
                </Button>
              </Stack>
            </Empty>
          ) : (
            <Empty title="No investigations match">
              {debounced
                ? `Nothing ${status === 'all' ? '' : `${status} `}matches “${debounced}”${filter ? ' and the filter' : ''}.`
                : filter
                  ? `No ${status === 'all' ? '' : `${status} `}investigation matches the filter. Remove a condition or clear all.`
                  : `No ${status} investigations.`}
            </Empty>
          )
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" aria-label="Investigations">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th style={{ minWidth: 240 }}>Name</Table.Th>
                  <Table.Th w={190}>Tags</Table.Th>
                  <Table.Th w={84} ta="right">
                    Entities
                  </Table.Th>
                  <Table.Th w={130}>Updated</Table.Th>
                  <Table.Th w={116} ta="right">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
                {q.data.items.map((inv) => (
                  <Table.Tr key={inv.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/investigations/${inv.id}`)}>
                    <Table.Td style={TRUNCATING_CELL}>
                      {/* Status shows only when it is not the usual one, beside the name. */}
                      <Group gap={8} wrap="nowrap" align="baseline">
                        <Truncated text={inv.name}>
                          <Anchor component={Link} to={`/investigations/${inv.id}`} fw={600} c="var(--mantine-color-text)" onClick={(e) => e.stopPropagation()}>
                            {inv.name}
                          </Anchor>
                        </Truncated>
                        {inv.status === 'archived' && <StatusBadge status={inv.status} size="xs" />}
                      </Group>
                      {inv.description && (
                        <Text size="xs" c="dimmed" component="div">
                          <Truncated text={inv.description} />
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <TagList tags={inv.tags} max={3} />
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {inv.entityCount.toLocaleString()}
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(inv.updatedAt)} openDelay={400}>
                        <Text size="sm" c="dimmed" w="fit-content">
                          {formatRelative(inv.updatedAt)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    {/* Clicks inside (including the confirmation modal, a React child) must not open the row. */}
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <RowActions inv={inv} onEdit={() => setEditing(inv)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Pager label="Investigation pages" page={page} pageSize={PAGE_SIZE} total={q.data ? total : 0} onChange={setPage} />

      <InvestigationFormDialog opened={creating} onClose={create.close} knownTags={knownTags} onSaved={(inv) => navigate(`/investigations/${inv.id}`)} />
      <InvestigationFormDialog opened={editing !== undefined} onClose={() => setEditing(undefined)} investigation={editing} knownTags={knownTags} />
    </Stack>
  );
}

function RowActions({ inv, onEdit }: { inv: Investigation; onEdit: () => void }) {
  const actions = useInvestigationActions();
  const archived = inv.status === 'archived';
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      <Tooltip label="Edit">
        <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${inv.name}`} onClick={onEdit}>
          <IconPencil size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={archived ? 'Unarchive' : 'Archive'}>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={`${archived ? 'Unarchive' : 'Archive'} ${inv.name}`}
          onClick={() => void actions.toggleArchive(inv)}
          disabled={actions.busy}
        >
          {archived ? <IconArchiveOff size={16} /> : <IconArchive size={16} />}
        </ActionIcon>
      </Tooltip>
      <ConfirmButton
        variant="subtle"
        color="red"
        size="compact-md"
        px={6}
        aria-label={`Delete ${inv.name}`}
        title={`Delete “${inv.name}”?`}
        message={`This permanently deletes the investigation and its ${inv.entityCount.toLocaleString()} ${inv.entityCount === 1 ? 'entity' : 'entities'}, links and runs. This cannot be undone.`}
        confirmLabel="Delete investigation"
        onConfirm={() => actions.remove(inv)}
      >
        <IconTrash size={16} />
      </ConfirmButton>
    </Group>
  );
}
